using Microsoft.Extensions.DependencyInjection;
using Rerank.Cohere.Tests.Server;
using Rerank.Testing;

namespace Rerank.Cohere.Tests.Contract;

/// <summary>The contract suite against the reranker as <c>AddCohereReranker</c> registers it: IHttpClientFactory, the resilience handler, the builder.</summary>
[TestFixture]
public sealed class DependencyInjectionContractTests : RerankerContractTests
{
    private RerankTestServer _server = null!;
    private readonly List<ServiceProvider> _providers = [];
    private long _baseline;

    protected override long BackendCallCount => _server.RequestCount - _baseline;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await RerankTestServer.StartAsync(RerankApiDialect.Cohere);

    [OneTimeTearDown]
    public async Task StopServer()
    {
        _providers.ForEach(p => p.Dispose());
        await _server.DisposeAsync();
    }

    protected override IReranker CreateReranker()
    {
        _baseline = _server.RequestCount;
        var services = new ServiceCollection();
        services.AddCohereReranker(options => TestSetup.Apply(options, _server));
        ServiceProvider provider = services.BuildServiceProvider();
        _providers.Add(provider);
        return provider.GetRequiredService<IReranker>();
    }
}
