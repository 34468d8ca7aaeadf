using Rerank.Testing;

namespace Rerank.AspNetCore.Tests;

/// <summary>The contract suite over a reranker served by the endpoints and called through Rerank.Cohere's client, in each dialect.</summary>
[TestFixture(RerankApiDialect.Cohere)]
[TestFixture(RerankApiDialect.Jina)]
[TestFixture(RerankApiDialect.TextEmbeddingsInference)]
public sealed class ServedRerankerContractTests(RerankApiDialect dialect) : RerankerContractTests
{
    private LoopbackRerankServer _server = null!;
    private HttpClient _httpClient = null!;
    private long _baseline;

    protected override long BackendCallCount => _server.Reranker.BackendCalls - _baseline;

    [OneTimeSetUp]
    public async Task Start()
    {
        _server = await LoopbackRerankServer.StartAsync();
        _httpClient = new HttpClient();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _httpClient.Dispose();
        await _server.DisposeAsync();
    }

    protected override IReranker CreateReranker()
    {
        _baseline = _server.Reranker.BackendCalls;
        return new CohereReranker(_httpClient, new CohereRerankerOptions
        {
            Dialect = dialect,
            Endpoint = _server.BaseAddress,
            ApiKey = "unused",
            ModelId = LoopbackRerankServer.ModelName,
        });
    }
}
