namespace Rerank.AspNetCore.Tests;

/// <summary>The request's <c>model</c> picks the reranker by name; TEI requests name none and get the default.</summary>
public sealed class ModelSelectionTests
{
    [TestCase(RerankApiDialect.Cohere)]
    [TestCase(RerankApiDialect.Jina)]
    [TestCase(RerankApiDialect.Vllm)]
    public async Task Bm25_is_served_by_name_with_its_in_process_scores(RerankApiDialect dialect)
    {
        await using LoopbackRerankServer server = await LoopbackRerankServer.StartAsync();
        using var http = new HttpClient();
        string[] documents = ["plants make energy from sunlight", "the stock market fell", "sunlight on plants"];
        using var client = new CohereReranker(http, new CohereRerankerOptions { Dialect = dialect, Endpoint = server.BaseAddress, ApiKey = "unused", ModelId = "bm25" });
        using var bm25 = new Bm25Reranker();

        RerankResponse remote = await client.RerankAsync("plants sunlight", documents.Select(RerankDocument.FromString));
        RerankResponse local = await bm25.RerankAsync("plants sunlight", documents.Select(RerankDocument.FromString));

        Assert.That(remote.Results.Select(r => (r.Index, r.Score)), Is.EqualTo(local.Results.Select(r => (r.Index, r.Score))));
        Assert.That(server.Reranker.BackendCalls, Is.Zero, "The default reranker must not answer a request that names bm25.");
    }
}
