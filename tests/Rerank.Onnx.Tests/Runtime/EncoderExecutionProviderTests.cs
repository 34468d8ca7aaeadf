using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Rerank.Onnx.Tests.Embeddings;
using Rerank.Onnx.Tests.LateInteraction;

namespace Rerank.Onnx.Tests.Runtime;

/// <summary>
/// The embedding generator and the late-interaction reranker open their sessions as the cross-encoder does
/// (<see cref="ExecutionProviderTests"/>): on the CPU build a requested GPU is the documented error naming their own
/// options type, or the allowed CPU fall-back with a warning and the CPU's results.
/// </summary>
public sealed class EncoderExecutionProviderTests
{
    private static readonly string[] Texts = ["alpha beta", "gamma delta epsilon"];

    private static string EmbeddingFolder => EmbeddingGoldenFile.ModelDirectory(EmbeddingGoldenFile.Bert);

    [Test]
    public void Cuda_for_the_embedding_generator_on_the_cpu_build_is_an_error_naming_its_options()
    {
        var ex = Assert.Throws<OnnxExecutionProviderException>(() =>
            new OnnxEmbeddingGenerator(new OnnxEmbeddingGeneratorOptions(EmbeddingFolder) { ExecutionProviders = [OnnxExecutionProvider.Cuda()] }));

        Assert.That(ex!.Message, Does.Contain("OnnxEmbeddingGeneratorOptions.AllowCpuFallback is off").And.Contain("Microsoft.ML.OnnxRuntime.Gpu"));
        Assert.That(ex.RequestedProviders, Is.EqualTo(new[] { "CUDA" }));
    }

    [Test]
    public async Task The_embedding_generator_falls_back_to_the_cpu_with_a_warning_when_allowed()
    {
        var logger = new FakeLogger();
        using var cpu = new OnnxEmbeddingGenerator(EmbeddingFolder);
        using var fallback = new OnnxEmbeddingGenerator(new OnnxEmbeddingGeneratorOptions(EmbeddingFolder)
        {
            ExecutionProviders = [OnnxExecutionProvider.Cuda()],
            AllowCpuFallback = true,
            Logger = logger,
        });

        GeneratedEmbeddings<Embedding<float>> expected = await cpu.GenerateAsync(Texts);
        GeneratedEmbeddings<Embedding<float>> actual = await fallback.GenerateAsync(Texts);

        Assert.That(actual.Select(e => e.Vector.ToArray()), Is.EqualTo(expected.Select(e => e.Vector.ToArray())));
        Assert.That(logger.Collector.GetSnapshot().Single(r => r.Level == LogLevel.Warning).Message, Does.Contain("CUDA is unavailable").And.Contain("running on the CPU instead"));
    }

    [Test]
    public void A_null_provider_is_rejected_naming_the_embedding_options()
    {
        Assert.That(
            () => new OnnxEmbeddingGenerator(new OnnxEmbeddingGeneratorOptions(EmbeddingFolder) { ExecutionProviders = [null!] }),
            Throws.ArgumentException.With.Message.Contains("OnnxEmbeddingGeneratorOptions.ExecutionProviders[0] is null"));
    }

    [Test]
    public void Cuda_for_the_late_interaction_reranker_on_the_cpu_build_is_an_error_naming_its_options()
    {
        var ex = Assert.Throws<OnnxExecutionProviderException>(() =>
            new OnnxLateInteractionReranker(new OnnxLateInteractionOptions(ColBertGolden.Directory) { ExecutionProviders = [OnnxExecutionProvider.Cuda()] }));

        Assert.That(ex!.Message, Does.Contain("OnnxLateInteractionOptions.AllowCpuFallback is off"));
    }

    [Test]
    public async Task The_late_interaction_reranker_falls_back_to_the_cpu_with_a_warning_when_allowed()
    {
        var logger = new FakeLogger();
        using var cpu = new OnnxLateInteractionReranker(ColBertGolden.Directory);
        using var fallback = new OnnxLateInteractionReranker(new OnnxLateInteractionOptions(ColBertGolden.Directory)
        {
            ExecutionProviders = [OnnxExecutionProvider.Cuda()],
            AllowCpuFallback = true,
            Logger = logger,
        });

        RerankResponse expected = await cpu.RerankAsync("alpha", Texts.Select(t => new RerankDocument(t)));
        RerankResponse actual = await fallback.RerankAsync("alpha", Texts.Select(t => new RerankDocument(t)));

        Assert.That(actual.Results.Select(r => (r.Index, r.Score)), Is.EqualTo(expected.Results.Select(r => (r.Index, r.Score))));
        Assert.That(logger.Collector.GetSnapshot().Where(r => r.Level == LogLevel.Warning).Select(r => r.Message), Has.Some.Contains("CUDA is unavailable"));
    }
}
