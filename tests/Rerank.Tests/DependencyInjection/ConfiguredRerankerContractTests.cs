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
