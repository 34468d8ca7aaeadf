using Microsoft.Extensions.Caching.Memory;
using Rerank.Cohere.Tests.Server;

namespace Rerank.Cohere.Tests;

/// <summary>The metadata a score cache keys on: pointwise, every setting that changes the server's scores, never the key.</summary>
[TestFixture]
public sealed class ScoringFingerprintTests
{
    private const string Query = "capital of the United States";

    private static readonly string[] Texts = ["Carson City is the capital of Nevada.", "Washington, D.C. is the capital of the United States."];

    [Test]
    public async Task Two_rerankers_with_different_MaxTokensPerDocument_sharing_a_cache_do_not_read_each_others_scores()
    {
        await using RerankTestServer server = await RerankTestServer.StartAsync(RerankApiDialect.Cohere);
        using var http = new HttpClient();
        var shared = new MemoryCache(new MemoryCacheOptions());
        using IReranker short128 = new RerankerBuilder(new CohereReranker(http, TestSetup.Options(server, o => o.MaxTokensPerDocument = 128))).UseMemoryCache(shared).Build();
        using IReranker long512 = new RerankerBuilder(new CohereReranker(http, TestSetup.Options(server, o => o.MaxTokensPerDocument = 512))).UseMemoryCache(shared).Build();
        using IReranker again512 = new RerankerBuilder(new CohereReranker(http, TestSetup.Options(server, o => o.MaxTokensPerDocument = 512))).UseMemoryCache(shared).Build();

        await short128.RerankAsync(Query, Texts);
        RerankResponse other = await long512.RerankAsync(Query, Texts);
        RerankResponse same = await again512.RerankAsync(Query, Texts);

        Assert.That(other.AdditionalProperties![RerankResponseProperties.CacheHits], Is.Zero, "a server that reads 512 tokens scores differently from one that reads 128");
        Assert.That(same.AdditionalProperties![RerankResponseProperties.CacheHits], Is.EqualTo(Texts.Length), "configured alike, they share scores");
        Assert.That(server.RequestCount, Is.EqualTo(2));
    }

    [Test]
    public void The_fingerprint_names_dialect_endpoint_model_and_token_limit_but_never_the_key()
    {
        using var http = new HttpClient();
        using var reranker = new CohereReranker(http, new CohereRerankerOptions
        {
            Dialect = RerankApiDialect.TextEmbeddingsInference,
            Endpoint = new Uri("http://tei.internal:8080/base"),
            ApiKey = TestSetup.CanaryKey,
            ModelId = "bge-reranker",
            MaxTokensPerDocument = 256,
        });

        RerankerMetadata metadata = reranker.GetService<RerankerMetadata>()!;

        Assert.That(metadata.ScoreSemantics, Is.EqualTo(RerankScoreSemantics.Pointwise));
        Assert.That(metadata.ScoringFingerprint, Does.Contain("tei").And.Contain("tei.internal:8080/base").And.Contain("bge-reranker").And.Contain("256"));
        Assert.That(metadata.ScoringFingerprint, Does.Not.Contain(TestSetup.CanaryKey));
    }
}
