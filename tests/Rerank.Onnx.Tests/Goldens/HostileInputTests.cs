using Rerank.Onnx.Tests.Runtime;

namespace Rerank.Onnx.Tests.Goldens;

/// <summary>Hostile text is scored, never a crash, on both real tokenizers; and a broken tokenizer is a clear error.</summary>
[TestFixture]
public sealed class HostileInputTests
{
    private static readonly string[] HostileDocuments =
    [
        "lone high surrogate \uD800 in the middle",
        "lone low surrogate \uDC00 at the start and a reversed pair \uDC00\uD800",
        "NUL \0 characters \0\0 inside",
        "\0",
        "control \u0001\u0002\u001B[31m escape codes \u007F and zero-width \u200B\u200C\u200D\uFEFF",
        "right-to-left \u202E override and combining marks a\u0301\u0302\u0303\u0304\u0305\u0306\u0307",
        "emoji 👩‍👩‍👧‍👦 flags 🇫🇷 and CJK 漢字かなカナ한국어",
        new string('\u0301', 5000),
        new string('x', 20_000),
    ];

    [TestCaseSource(typeof(GoldenFile), nameof(GoldenFile.Models))]
    public async Task Hostile_text_and_a_one_megabyte_document_are_scored(string model)
    {
        var random = new Random(5);
        string megabyte = string.Join(' ', Enumerable.Range(0, 180_000).Select(_ => "compost heap methane soil ündër 漢字"[random.Next(0, 20)..][..3]));
        Assert.That(megabyte.Length, Is.GreaterThan(500_000));
        using var reranker = new OnnxCrossEncoderReranker(GoldenFile.ModelDirectory(model));
        RerankDocument[] documents = [.. HostileDocuments.Append(megabyte + megabyte).Select(d => new RerankDocument(d))];

        RerankResponse response = await reranker.RerankAsync("a query with a lone surrogate \uD83D and NUL \0", documents);

        Assert.That(response.Results, Has.Count.EqualTo(documents.Length));
        Assert.That(response.Results.Select(r => r.Score), Is.All.Not.NaN);
        var truncations = (IReadOnlyList<CrossEncoderTruncation>)response.AdditionalProperties![RerankResponseProperties.OnnxTruncations]!;
        CrossEncoderTruncation megabyteTruncation = truncations.Single(t => t.Index == documents.Length - 1);
        Assert.That(megabyteTruncation.DocumentTokensDropped, Is.GreaterThan(1_000), "the 1 MB document is truncated, and says so");
        Assert.That(megabyteTruncation.DocumentTokensDroppedIsLowerBound, Is.True, "only the start of the 1 MB document was tokenised, so its count is a lower bound");
    }

    [Test]
    public void A_folder_without_a_tokenizer_names_each_file_looked_for()
    {
        using var folder = new TempModelFolder(GoldenFile.ModelDirectory("tiny-bert-cross-encoder"));
        File.Delete(folder["tokenizer.json"]);
        File.Delete(folder["vocab.txt"]);

        var ex = Assert.Throws<OnnxModelNotFoundException>(() => new OnnxCrossEncoderReranker(folder.Path));

        Assert.That(ex!.SearchedPaths, Is.EqualTo(new[] { folder["tokenizer.json"], folder["vocab.txt"], folder["sentencepiece.bpe.model"] }));
        Assert.That(ex.Message, Does.Contain(folder["vocab.txt"]).And.Contain("TokenizerPath"));
    }

    [Test]
    public void An_unknown_tokenizer_type_is_a_clear_error()
    {
        using var folder = new TempModelFolder(GoldenFile.ModelDirectory("tiny-bert-cross-encoder"));
        folder.Write("tokenizer.json", "{\"version\": \"1.0\", \"model\": {\"type\": \"BPE\", \"vocab\": {}, \"merges\": []}}");

        var ex = Assert.Throws<OnnxModelLoadException>(() => new OnnxCrossEncoderReranker(folder.Path));

        Assert.That(ex!.Message, Does.Contain(folder.Path).And.Contain("does not implement"));
    }

    [Test]
    public void A_malformed_tokenizer_json_is_a_clear_error()
    {
        using var folder = new TempModelFolder(GoldenFile.ModelDirectory("tiny-bert-cross-encoder"));
        folder.Write("tokenizer.json", "{ not json");

        var ex = Assert.Throws<OnnxModelLoadException>(() => new OnnxCrossEncoderReranker(folder.Path));

        Assert.That(ex!.Message, Does.Contain(folder.Path));
    }

    [Test]
    public async Task An_explicit_vocab_txt_gives_the_same_scores_as_tokenizer_json()
    {
        string directory = GoldenFile.ModelDirectory("tiny-bert-cross-encoder");
        using var fromFolder = new OnnxCrossEncoderReranker(directory);
        using var fromVocab = new OnnxCrossEncoderReranker(new OnnxCrossEncoderOptions
        {
            ModelPath = Path.Combine(directory, "onnx", "model.onnx"),
            TokenizerPath = Path.Combine(directory, "vocab.txt"),
        });
        string[] documents = ["Café crème brûlée costs $5 + tax = €6", "How to process organic waste?", "naïve résumé\tover\nlines"];

        double[] a = await ToyModels.ScoresAsync(fromFolder, "what does it cost?", documents);
        double[] b = await ToyModels.ScoresAsync(fromVocab, "what does it cost?", documents);

        Assert.That(b, Is.EqualTo(a).Within(1e-6));
        Assert.That(fromVocab.ModelId, Is.EqualTo("tiny-bert-cross-encoder"), "without a folder the model is named after the tokenizer's folder");
    }
}
