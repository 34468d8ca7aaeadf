using Microsoft.Extensions.DependencyInjection;
using Rerank.Testing;

namespace Rerank.Tests.DependencyInjection;

/// <summary>The contract suite against a pipeline read from configuration: cache, fallback and timeout around a pointwise provider.</summary>
[TestFixture]
public sealed class ConfiguredPipelineContractTests : RerankerContractTests
{
    private ServiceProvider? _services;
    private ProbeProviderFactory? _probe;

    protected override long BackendCallCount => _probe!.Single("primary").BackendCalls;

    [TearDown]
    public void DisposeServices() => _services?.Dispose();

    protected override IReranker CreateReranker()
    {
        _probe = new ProbeProviderFactory();
        var services = new ServiceCollection();
        services.AddReranking(ReRankingConfig.Section("""
            { "Reranking": { "Default": "primary", "Rerankers": {
                "primary": { "Provider": "probe", "Timeout": "00:00:05", "Cache": "memory", "FallbackTo": [ "order" ] },
                "order":   { "Provider": "first-stage" } } } }
            """)).AddProvider(_probe);
        _services = services.BuildServiceProvider();
        return _services.GetRequiredService<IReranker>();
    }
}

/// <summary>The contract suite against BM25 read from configuration (its scores depend on the candidates).</summary>
[TestFixture]
public sealed class ConfiguredBm25ContractTests : RerankerContractTests
{
    private ServiceProvider? _services;
    private IReranker? _reranker;

    protected override long BackendCallCount => _reranker!.GetService<Bm25Reranker>()!.ScoringCalls;

    protected override bool ScoresArePointwise => false;

    [TearDown]
    public void DisposeServices() => _services?.Dispose();

    protected override IReranker CreateReranker()
    {
        var services = new ServiceCollection();
        services.AddReranking(ReRankingConfig.Section("""{ "Reranking": { "Rerankers": { "bm25": { "Provider": "bm25", "K1": 1.5, "B": 0.7 } } } }"""));
        _services = services.BuildServiceProvider();
        return _reranker = _services.GetRequiredKeyedService<IReranker>("bm25");
    }
}

/// <summary>Layers added in code to a configured reranker.</summary>
[TestFixture]
public sealed class ConfigurePipelineTests
{
    [Test]
    public async Task Code_layers_wrap_the_configured_ones()
    {
        var order = new List<string>();
        var services = new ServiceCollection();
        services.AddReranking(ReRankingConfig.Section("""{ "Reranking": { "Rerankers": { "p": { "Provider": "probe", "Timeout": "00:00:05" } } } }"""))
            .AddProvider(new ProbeProviderFactory())
            .ConfigurePipeline("p", pipeline => pipeline.Use(async (q, d, o, next, ct) =>
            {
                order.Add(next is TimeoutReranker ? "outside the timeout" : "inside");
                return await next.RerankAsync(q, d, o, ct);
            }));
        using ServiceProvider provider = services.BuildServiceProvider();

        await provider.GetRequiredService<IReranker>().RerankAsync("q", ["q"]);

        Assert.That(order, Is.EqualTo(new[] { "outside the timeout" }));
    }

    [Test]
    public void An_unknown_or_code_registered_name_fails_at_start_up()
    {
        var services = new ServiceCollection();
        IRerankingBuilder reranking = services.AddReranking(ReRankingConfig.Section("""{ "Reranking": { "Rerankers": { "p": { "Provider": "bm25" } } } }"""));
        reranking.AddFirstStageOrder();
        reranking.ConfigurePipeline("nope", _ => { }).ConfigurePipeline("first-stage", _ => { });

        string message = ReRankingConfig.Failure(services).Message;

        Assert.That(message, Does.Contain("ConfigurePipeline(\"nope\"): no configured reranker has that name"));
        Assert.That(message, Does.Contain("ConfigurePipeline(\"first-stage\"): 'first-stage' is registered in code"));
    }
}
