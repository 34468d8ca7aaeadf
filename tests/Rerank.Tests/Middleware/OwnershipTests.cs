using Microsoft.Extensions.DependencyInjection;
using Rerank.Testing;

namespace Rerank.Tests.Middleware;

/// <summary>
/// The ownership rule (docs/ownership.md): a pipeline disposes the rerankers it was given as instances (the inner one,
/// fallbacks, hybrid signals) and nothing resolved from a service provider; disposal while calls run is safe.
/// </summary>
public sealed class OwnershipTests
{
    private static readonly RerankDocument[] Documents = [new("plants make energy"), new("the stock market fell"), new("bees make honey")];

    [Test]
    public void Fallbacks_given_as_instances_are_disposed_with_the_pipeline_once_each()
    {
        var primary = new TestReranker();
        var first = new TestReranker();
        var second = new CountingReranker();
        IReranker pipeline = new RerankerBuilder(primary).UseFallback([first, second, second]).Build();

        pipeline.Dispose();
        pipeline.Dispose();

        Assert.That(primary.IsDisposed, Is.True);
        Assert.That(first.IsDisposed, Is.True);
        Assert.That(second.DisposeCount, Is.EqualTo(1), "a fallback listed twice is disposed once");
    }

    [Test]
    public void A_single_fallback_is_disposed_with_the_pipeline()
    {
        var fallback = new TestReranker();
        IReranker pipeline = new RerankerBuilder(new TestReranker()).UseFallback(fallback).Build();

        pipeline.Dispose();

        Assert.That(fallback.IsDisposed, Is.True);
    }

    [Test]
    public void Fallbacks_resolved_by_the_factory_overload_belong_to_the_container()
    {
        var services = new ServiceCollection();
        services.AddKeyedSingleton<IReranker>("backup", new TestReranker());
        using ServiceProvider provider = services.BuildServiceProvider();
        var backup = (TestReranker)provider.GetRequiredKeyedService<IReranker>("backup");
        IReranker pipeline = new RerankerBuilder(new TestReranker())
            .UseFallback(sp => [sp.GetRequiredKeyedService<IReranker>("backup")])
            .Build(provider);

        pipeline.Dispose();

        Assert.That(backup.IsDisposed, Is.False);
    }

    [Test]
    public void Hybrid_reranker_signals_are_disposed_with_the_hybrid_reranker_once_each()
    {
        var onnxLike = new CountingReranker();
        var other = new TestReranker();
        IReranker hybrid = new HybridRerankerBuilder()
            .AddReranker(onnxLike, 0.4)
            .AddReranker(onnxLike, 0.3, ScoreNormalization.Rank)
            .AddReranker(other, 0.3)
            .AddBm25(0.1)
            .Build();

        hybrid.Dispose();
        hybrid.Dispose();

        Assert.That(onnxLike.DisposeCount, Is.EqualTo(1), "a reranker added as two signals is disposed once");
        Assert.That(other.IsDisposed, Is.True);
        Assert.ThrowsAsync<ObjectDisposedException>(() => hybrid.RerankAsync("plants", Documents));
    }

    [Test]
    public async Task Disposing_the_batching_layer_while_a_call_runs_lets_the_call_finish()
    {
        var gate = new Gate();
        var inner = new ProbeReranker { OnCall = gate.PassAsync };
        IReranker pipeline = new RerankerBuilder(inner).UseBatching(2, o => o.CoalescingWindow = TimeSpan.Zero).Build();

        Task<RerankResponse> call = pipeline.RerankAsync("plants", [Documents[0]]);
        await gate.WaitForArrivalsAsync();
        pipeline.Dispose();
        gate.Release();

        RerankResponse response = await call;
        Assert.That(response.Results, Has.Count.EqualTo(1), "the call in flight completes; releasing its concurrency slot does not fail");
        Assert.ThrowsAsync<ObjectDisposedException>(() => pipeline.RerankAsync("plants", Documents));
    }

    [Test]
    public async Task Disposing_the_batching_layer_during_a_split_call_fails_the_rest_with_the_inner_rerankers_ObjectDisposedException()
    {
        // Batches of two, one at a time: the first is in flight at the gate, the others would reach a disposed reranker.
        var gate = new Gate();
        var inner = new ProbeReranker { OnCall = gate.PassAsync };
        IReranker pipeline = new RerankerBuilder(inner).UseBatching(2, o => { o.CoalescingWindow = TimeSpan.Zero; o.MaxConcurrency = 1; }).Build();
        RerankDocument[] documents = [.. Enumerable.Range(0, 5).Select(i => new RerankDocument($"plants {i}"))];

        Task<RerankResponse> call = pipeline.RerankAsync("plants", documents);
        await gate.WaitForArrivalsAsync();
        pipeline.Dispose();
        gate.Release();

        ObjectDisposedException? disposed = Assert.ThrowsAsync<ObjectDisposedException>(() => call);
        Assert.That(disposed!.ObjectName, Is.EqualTo(typeof(ProbeReranker).FullName), "the inner reranker says it is disposed; the layer's own semaphore never does");
    }

    /// <summary>Counts its disposals, to prove each owned reranker is disposed exactly once.</summary>
    private sealed class CountingReranker : IReranker
    {
        private readonly TestReranker _scores = new();
        private int _disposeCount;

        public int DisposeCount => Volatile.Read(ref _disposeCount);

        public Task<RerankResponse> RerankAsync(string query, IEnumerable<RerankDocument> documents, RerankOptions? options = null, CancellationToken cancellationToken = default) =>
            _scores.RerankAsync(query, documents, options, cancellationToken);

        public object? GetService(Type serviceType, object? serviceKey = null) => _scores.GetService(serviceType, serviceKey);

        public void Dispose() => Interlocked.Increment(ref _disposeCount);
    }
}
