using Microsoft.Extensions.DependencyInjection;
using Rerank.Testing;

namespace Rerank.AspNetCore.Tests;

/// <summary>Two server instances sharing one Redis score cache: a score one replica computed is served by the other from the cache.</summary>
public sealed class ScaleOutTests
{
    [Test]
    public async Task A_score_computed_by_one_replica_is_served_from_the_shared_cache_by_the_other()
    {
        string redis = RedisServer.RequireAddress();

        // A fresh instance name per run, so that scores left by an earlier run cannot answer this one.
        string instance = "rerank-scale-out-" + Guid.NewGuid().ToString("N") + ":";
        void Shared(IServiceCollection services) => services.AddStackExchangeRedisCache(o =>
        {
            o.Configuration = redis;
            o.InstanceName = instance;
        });

        await using LoopbackRerankServer first = await LoopbackRerankServer.StartAsync(services: Shared, pipeline: p => p.UseDistributedCache());
        await using LoopbackRerankServer second = await LoopbackRerankServer.StartAsync(services: Shared, pipeline: p => p.UseDistributedCache());
        string[] documents = ["plants make energy from sunlight", "the stock market fell", "sunlight on green plants"];
        using var http = new HttpClient();

        RerankResponse fromFirst = await Call(http, first, documents);
        RerankResponse fromSecond = await Call(http, second, documents);

        Assert.Multiple(() =>
        {
            Assert.That(first.Reranker.BackendCalls, Is.EqualTo(1), "The first replica computes the scores.");
            Assert.That(second.Reranker.BackendCalls, Is.Zero, "The second replica answers from the shared cache.");
            Assert.That(fromSecond.Results.Select(r => (r.Index, r.Score)), Is.EqualTo(fromFirst.Results.Select(r => (r.Index, r.Score))));
        });
    }

    private static async Task<RerankResponse> Call(HttpClient http, LoopbackRerankServer server, string[] documents)
    {
        using var client = new CohereReranker(http, new CohereRerankerOptions
        {
            Endpoint = server.BaseAddress,
            ApiKey = "unused",
            ModelId = LoopbackRerankServer.ModelName,
        });
        return await client.RerankAsync("plants sunlight", documents.Select(RerankDocument.FromString));
    }
}
