using Rerank.Onnx.Hub;
using Rerank.Onnx.Tests.Hub;

namespace Rerank.Onnx.Tests.LateInteraction;

/// <summary><c>OnnxLateInteractionReranker.FromPretrainedAsync</c> against the test Hub serving the tiny ColBERT fixture.</summary>
public sealed class LateInteractionHubTests : HubTestBase
{
    private const string ColBertId = "lightonai/tiny-colbert";
    private static readonly ColBertGolden Golden = ColBertGolden.Load();

    [Test]
    public async Task FromPretrained_downloads_the_settings_and_the_projection_and_scores_as_the_folder_does()
    {
        string commit = Publish();
        using HuggingFaceModelDownloader downloader = CreateDownloader();

        using OnnxLateInteractionReranker reranker = await OnnxLateInteractionReranker.FromPretrainedAsync(downloader, ColBertId, new OnnxLateInteractionOptions { IntraOpNumThreads = 1 });

        string snapshot = Path.Combine(CacheDirectory, "models--lightonai--tiny-colbert", "snapshots", commit);
        Assert.That(reranker.ModelId, Is.EqualTo(ColBertId));
        Assert.That(reranker.ModelPath, Is.EqualTo(Path.Combine(snapshot, "onnx", "model.onnx")));
        Assert.That(File.Exists(Path.Combine(snapshot, "1_Dense", "model.safetensors")) && File.Exists(Path.Combine(snapshot, "config_sentence_transformers.json")), Is.True);
        Assert.That(Directory.Exists(Path.Combine(snapshot, "onnx")) && !File.Exists(Path.Combine(snapshot, "onnx", "model_projected.onnx")), Is.True, "only the chosen ONNX file");
        RerankResponse response = await reranker.RerankAsync(Golden.Queries[0].Text, Golden.DocumentTexts.Select(t => new RerankDocument(t)));
        Assert.That(response.Results.OrderBy(r => r.Index).Select(r => r.Score), Is.EqualTo(Golden.Scores[0]).Within(1e-4));
    }

    [Test]
    public void FromPretrained_without_the_projection_names_the_missing_file()
    {
        Publish(without: "1_Dense/");
        using HuggingFaceModelDownloader downloader = CreateDownloader();

        var error = Assert.ThrowsAsync<OnnxModelNotFoundException>(() => OnnxLateInteractionReranker.FromPretrainedAsync(downloader, ColBertId))!;

        Assert.That(error.Message, Does.Contain(Path.Combine("1_Dense", "model.safetensors")));
    }

    [Test]
    public void FromPretrained_rejects_a_model_folder()
    {
        using HuggingFaceModelDownloader downloader = CreateDownloader();

        Assert.That(() => OnnxLateInteractionReranker.FromPretrainedAsync(downloader, ColBertId, new OnnxLateInteractionOptions("somewhere")),
            Throws.ArgumentException.With.Message.Contains("ModelDirectory must be left unset"));
    }

    [Test]
    public void Copy_carries_every_option()
    {
        // A tripwire: a new option must be added to OnnxLateInteractionHub.Copy, or FromPretrainedAsync would drop it.
        var settable = typeof(OnnxLateInteractionOptions).GetProperties().Where(p => p.CanWrite).ToArray();
        Assert.That(settable, Has.Length.EqualTo(21), "OnnxLateInteractionOptions gained or lost a property: update OnnxLateInteractionHub.Copy and this count.");

        Action<Microsoft.ML.OnnxRuntime.SessionOptions> configure = _ => { };
        var original = new OnnxLateInteractionOptions
        {
            ModelDirectory = "d", ModelPath = "m", ModelVariant = OnnxModelVariant.Quantized, QueryPrefix = "[Q] ", DocumentPrefix = "[D] ",
            QueryLength = 7, DocumentLength = 9, DoQueryExpansion = false, AttendToExpansionTokens = true, SkiplistWords = ["a"],
            ProjectionInGraph = true, BatchSize = 3, DocumentCacheBytes = 1234, DistributedCacheFormat = LateInteractionStorageFormat.Float32,
            IntraOpNumThreads = 2, InterOpNumThreads = 1, ConfigureSessionOptions = configure, ExecutionProviders = [OnnxExecutionProvider.Cuda()],
            AllowCpuFallback = true, ModelId = "id", Logger = Logger,
        };
        OnnxLateInteractionOptions copy = OnnxLateInteractionHub.Copy(original);
        foreach (var property in settable)
        {
            Assert.That(property.GetValue(copy), Is.EqualTo(property.GetValue(original)), property.Name);
        }
    }

    private string Publish(string? without = null)
    {
        var files = Directory.GetFiles(ColBertGolden.Directory, "*", SearchOption.AllDirectories)
            .Select(f => (Path: Path.GetRelativePath(ColBertGolden.Directory, f).Replace(Path.DirectorySeparatorChar, '/'), File: f))
            .Where(f => without is null || !f.Path.StartsWith(without, StringComparison.Ordinal))
            .ToDictionary(f => f.Path, f => File.ReadAllBytes(f.File));
        return Server.AddRepo(ColBertId).Commit(files);
    }
}
