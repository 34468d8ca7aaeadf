using Rerank.Cohere.Tests.Server;
using Rerank.Testing;

namespace Rerank.Cohere.Tests.Contract;

/// <summary>
/// The contract suite against each dialect's test server, once with every document in one request and, for Cohere and TEI, once
/// split into requests of three documents (so that merging, global indices and TopN-after-merge keep the contract too).
/// </summary>
[TestFixture(RerankApiDialect.Cohere, null)]
[TestFixture(RerankApiDialect.Jina, null)]
[TestFixture(RerankApiDialect.Voyage, null)]
[TestFixture(RerankApiDialect.TextEmbeddingsInference, null)]
[TestFixture(RerankApiDialect.Infinity, null)]
[TestFixture(RerankApiDialect.Vllm, null)]
[TestFixture(RerankApiDialect.Cohere, 3)]
[TestFixture(RerankApiDialect.TextEmbeddingsInference, 3)]
public sealed class CohereRerankerContractTests(RerankApiDialect dialect, int? maxDocumentsPerRequest) : RerankerContractTests
{
    private RerankTestServer _server = null!;
    private HttpClient _httpClient = null!;
    private long _baseline;

    protected override long BackendCallCount => _server.RequestCount - _baseline;

    [OneTimeSetUp]
    public async Task StartServer()
    {
        _server = await RerankTestServer.StartAsync(dialect);
        _httpClient = new HttpClient();
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        _httpClient.Dispose();
        await _server.DisposeAsync();
    }

    protected override IReranker CreateReranker()
    {
        _baseline = _server.RequestCount;
        return new CohereReranker(_httpClient, TestSetup.Options(_server, o => o.MaxDocumentsPerRequest = maxDocumentsPerRequest));
    }
}
