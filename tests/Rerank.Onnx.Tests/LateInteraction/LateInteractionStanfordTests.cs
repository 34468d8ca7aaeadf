using System.Text.Json.Nodes;
using Rerank.Onnx.Tests.Runtime;

namespace Rerank.Onnx.Tests.LateInteraction;

/// <summary>A colbert-ai (HF_ColBERT) checkpoint: settings from artifact.metadata, the projection from model.safetensors' linear.weight.</summary>
public sealed class LateInteractionStanfordTests
{
    private static readonly ColBertGolden Golden = ColBertGolden.Load();

    [Test]
    public async Task A_colbert_ai_checkpoint_scores_as_the_PyLate_layout_with_the_same_markers()
    {
        using var folder = new TempModelFolder(ColBertGolden.Directory);
        File.Move(folder[Path.Combine("1_Dense", "model.safetensors")], folder["model.safetensors"]);
        Directory.Delete(folder["1_Dense"], recursive: true);
        File.Delete(folder["modules.json"]);
        File.Delete(folder["config_sentence_transformers.json"]);
        JsonNode config = JsonNode.Parse(File.ReadAllText(folder["config.json"]))!;
        config["architectures"] = new JsonArray("HF_ColBERT");
        folder.Write("config.json", config.ToJsonString());
        folder.Write("artifact.metadata", """{"query_token_id": "[unused0]", "doc_token_id": "[unused1]", "query_maxlen": 16, "doc_maxlen": 24, "attend_to_mask_tokens": false}""");

        using var stanford = new OnnxLateInteractionReranker(new OnnxLateInteractionOptions(folder.Path) { IntraOpNumThreads = 1 });
        using var pylate = new OnnxLateInteractionReranker(new OnnxLateInteractionOptions(ColBertGolden.Directory) { IntraOpNumThreads = 1, QueryPrefix = "[unused0]", DocumentPrefix = "[unused1]" });

        Assert.That(stanford.Tokenizer.QueryPrefixId, Is.EqualTo(1));
        Assert.That(stanford.Tokenizer.DocumentPrefixId, Is.EqualTo(2));
        Assert.That(stanford.QueryLength, Is.EqualTo(16));
        Assert.That(stanford.Dimension, Is.EqualTo(Golden.Dimension));
        RerankDocument[] documents = [.. Golden.DocumentTexts.Select(t => new RerankDocument(t))];
        RerankResponse a = await stanford.RerankAsync(Golden.Queries[0].Text, documents);
        RerankResponse b = await pylate.RerankAsync(Golden.Queries[0].Text, documents);
        Assert.That(a.Results.Select(r => r.Score), Is.EqualTo(b.Results.Select(r => r.Score)).Within(1e-6));

        File.Delete(folder["model.safetensors"]);
        var error = Assert.Throws<OnnxModelNotFoundException>(() => new OnnxLateInteractionReranker(folder.Path).Dispose())!;
        Assert.That(error.Message, Does.Contain(folder["model.safetensors"]).And.Contain("linear.weight"));
    }
}
