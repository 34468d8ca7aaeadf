using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Rerank.Tests.Middleware;

/// <summary>How the middleware compose: layer order, GetService through the pipeline, one extension for the builder and DI.</summary>
[TestFixture]
public sealed class PipelineCompositionTests
{
    [Test]
    public void The_first_Use_is_the_outermost_layer_and_GetService_reaches_every_layer()
    {
        var probe = new ProbeReranker("onnx", "minilm");
        using IReranker reranker = new RerankerBuilder(probe)
            .UseOpenTelemetry()
            .UseFallback(new FirstStageOrderReranker())
            .UseDistributedCache(new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions())))
            .UseTimeout(TimeSpan.FromMilliseconds(800))
            .UseBatching(maxBatchSize: 32)
            .Build();

        Assert.That(reranker, Is.InstanceOf<OpenTelemetryReranker>());
        Assert.That(reranker.GetService<CachingReranker>(), Is.Not.Null);
        Assert.That(reranker.GetService<FallbackReranker>()!.RerankerNames, Is.EqualTo(new[] { "onnx/minilm", "first-stage" }), "the fallback wraps the cache, which wraps the timeout, batching and the model");
        Assert.That(reranker.GetService<TimeoutReranker>()!.Timeout, Is.EqualTo(TimeSpan.FromMilliseconds(800)));
        Assert.That(reranker.GetService<BatchingReranker>()!.MaxBatchSize, Is.EqualTo(32));
        Assert.That(reranker.GetService<ProbeReranker>(), Is.SameAs(probe));
        Assert.That(reranker.GetService<RerankerMetadata>()!.ProviderName, Is.EqualTo("onnx"), "metadata comes from the model through every layer");
        Assert.That(reranker.GetService<RerankerMetadata>()!.ScoreSemantics, Is.EqualTo(RerankScoreSemantics.CandidateSetDependent), "the chain may answer with the first-stage order");
    }

    [Test]
    public async Task A_timeout_below_a_fallback_answers_with_the_fallback_and_the_response_says_so()
    {
        var gate = new Gate();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var slow = new ProbeReranker("cohere", "rerank-v3.5") { OnCall = gate.PassAsync };
        using IReranker reranker = new RerankerBuilder(slow)
            .UseFallback([new Bm25Reranker(), new FirstStageOrderReranker()])
            .UseTimeout(TimeSpan.FromMilliseconds(800), time)
            .Build();

        Task<RerankResponse> call = reranker.RerankAsync("solar panels", ["wind farms", "solar panels on roofs", "panels"]);
        await gate.WaitForArrivalsAsync();
        time.Advance(TimeSpan.FromMilliseconds(800));
        RerankResponse response = await call;

        Assert.That(response.AdditionalProperties![RerankResponseProperties.FallbackAnsweredBy], Is.EqualTo(reranker.GetService<FallbackReranker>()!.RerankerNames[1]));
        var attempt = ((IReadOnlyList<RerankFallbackAttempt>)response.AdditionalProperties[RerankResponseProperties.FallbackAttempts]!).Single();
        Assert.That(attempt.ErrorType, Is.EqualTo(typeof(RerankTimeoutException).FullName));
        Assert.That(response.Results[0].Index, Is.EqualTo(1), "BM25 ranks the passage with both terms first");
    }

    [Test]
    public void Keyed_registrations_get_their_own_pipelines()
    {
        var services = new ServiceCollection();
        var cohere = new ProbeReranker("cohere");
        var onnx = new ProbeReranker("onnx");
        services.AddKeyedReranker("cohere", cohere).UseTimeout(TimeSpan.FromSeconds(2)).UseDeduplication();
        services.AddKeyedReranker("onnx", onnx).UseBatching(16);
        using ServiceProvider provider = services.BuildServiceProvider();

        IReranker a = provider.GetRequiredKeyedService<IReranker>("cohere");
        IReranker b = provider.GetRequiredKeyedService<IReranker>("onnx");

        Assert.That((a.GetService<TimeoutReranker>() is not null, a.GetService<BatchingReranker>() is null), Is.EqualTo((true, true)));
        Assert.That((b.GetService<TimeoutReranker>() is null, b.GetService<BatchingReranker>()!.MaxBatchSize), Is.EqualTo((true, 16)));
        Assert.That(a.GetService<ProbeReranker>(), Is.SameAs(cohere));
    }
}
