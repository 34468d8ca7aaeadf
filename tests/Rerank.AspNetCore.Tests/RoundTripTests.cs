using Rerank.Testing;

namespace Rerank.AspNetCore.Tests;

/// <summary>
/// Rerank.Cohere's own client in each dialect the server speaks, against the server on loopback: the round trip returns exactly
/// the scores and indices of the same reranker called in process.
/// </summary>
[TestFixture(RerankApiDialect.Cohere)]
[TestFixture(RerankApiDialect.Jina)]
[TestFixture(RerankApiDialect.Vllm)]
[TestFixture(RerankApiDialect.TextEmbeddingsInference)]
public sealed class RoundTripTests(RerankApiDialect dialect)
{
    private LoopbackRerankServer _server = null!;
    private HttpClient _httpClient = null!;

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

    [TestCase(null)]
    [TestCase(5)]
    public async Task The_round_trip_returns_exactly_the_in_process_scores_and_indices(int? topN)
    {
        // 70 documents: more than TEI's 32 per request, so the client splits and merges and global indices are checked too.
        string[] documents = [.. Enumerable.Range(0, 70).Select(i => $"document {i} about {(i % 3 == 0 ? "plants and sunlight" : "the stock market")} {new string('x', i % 7)}")];
        const string Query = "plants sunlight energy";
        using var client = new CohereReranker(_httpClient, Options());

        RerankResponse remote = await client.RerankAsync(Query, documents.Select(RerankDocument.FromString), new RerankOptions { TopN = topN });
        RerankResponse local = await _server.Reranker.RerankAsync(Query, documents.Select(RerankDocument.FromString), new RerankOptions { TopN = topN });

        Assert.That(remote.Results.Select(r => (r.Index, r.Score)), Is.EqualTo(local.Results.Select(r => (r.Index, r.Score))));
        Assert.That(remote.Results.Select(r => r.Document.Text), Is.EqualTo(local.Results.Select(r => r.Document.Text)));
    }

    private CohereRerankerOptions Options() => new()
    {
        Dialect = dialect,
        Endpoint = _server.BaseAddress,
        ApiKey = "unused",
        ModelId = LoopbackRerankServer.ModelName,
    };
}
