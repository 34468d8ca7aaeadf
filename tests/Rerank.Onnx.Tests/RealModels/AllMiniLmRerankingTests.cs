using Microsoft.Extensions.Caching.Memory;
using Rerank.Testing.RealModels;

namespace Rerank.Onnx.Tests.RealModels;

/// <summary>
/// The real all-MiniLM-L6-v2 (trained weights; see <see cref="AllMiniLmL6V2"/>) through <see cref="EmbeddingReranker"/>:
/// the rankings sentence-transformers publishes for this model, document by document, and the same rankings through a
/// cached pipeline.
/// </summary>
public sealed class AllMiniLmRerankingTests
{
    /// <summary>The corpus of sentence-transformers' semantic search example (examples/.../semantic-search/semantic_search.py).</summary>
    private static readonly string[] Corpus =
    [
        "A man is eating food.",
        "A man is eating a piece of bread.",
        "The girl is carrying a baby.",
        "A man is riding a horse.",
        "A woman is playing violin.",
        "Two men pushed carts through the woods.",
        "A man is riding a white horse on an enclosed ground.",
        "A monkey is playing drums.",
        "A cheetah is running behind its prey.",
    ];

    private static OnnxEmbeddingGenerator? generator;

    private static OnnxEmbeddingGenerator Generator => generator ??= new OnnxEmbeddingGenerator(AllMiniLmL6V2.GetModelDirectory());

    /// <summary>
    /// The top 5 of each query and their scores, as the example's documented output prints them for all-MiniLM-L6-v2
    /// (sbert.net, "Semantic Search", Manual Implementation): corpus index and cosine similarity to four decimals.
    /// </summary>
    private static IEnumerable<TestCaseData> PublishedRankings()
    {
        yield return new TestCaseData("A man is eating pasta.", new[] { 0, 1, 3, 6, 8 }, new[] { 0.7035, 0.5272, 0.1889, 0.1047, 0.0980 });
        yield return new TestCaseData("Someone in a gorilla costume is playing a set of drums.", new[] { 7, 4, 3, 6, 8 }, new[] { 0.6433, 0.2564, 0.1389, 0.1191, 0.1080 });
        yield return new TestCaseData("A cheetah chases prey on across a field.", new[] { 8, 0, 7, 6, 3 }, new[] { 0.8253, 0.1399, 0.1292, 0.1097, 0.0650 });
    }

    [OneTimeTearDown]
    public static void DisposeGenerator() => generator?.Dispose();

    [TestCaseSource(nameof(PublishedRankings))]
    public async Task The_published_semantic_search_ranking_is_reproduced_document_by_document(string query, int[] top5, double[] scores)
    {
        using var reranker = new EmbeddingReranker(Generator);

        RerankResponse response = await reranker.RerankAsync(query, Corpus.Select(t => new RerankDocument(t)), new RerankOptions { TopN = 5 });

        Assert.That(response.Results.Select(r => r.Index), Is.EqualTo(top5));
        // The published figures are rounded to four decimals: each score lies within half a unit of the fourth (and a hair).
        Assert.That(response.Results.Select(r => r.Score), Is.EqualTo(scores).Within(5.1e-5));
    }

    [Test]
    public async Task A_cached_pipeline_gives_the_same_ranking_from_stored_document_embeddings()
    {
        using var cache = new MemoryCache(new MemoryCacheOptions());
        using var direct = new EmbeddingReranker(Generator);
        using IReranker pipeline = new RerankerBuilder(new EmbeddingReranker(Generator, cache)).UseMemoryCache().Build();
        RerankDocument[] documents = [.. Corpus.Select(t => new RerankDocument(t))];

        RerankResponse first = await pipeline.RerankAsync("A man is eating pasta.", documents);
        RerankResponse second = await pipeline.RerankAsync("A cheetah chases prey on across a field.", documents);
        RerankResponse expected = await direct.RerankAsync("A cheetah chases prey on across a field.", documents);

        Assert.That(first.Results.Select(r => r.Index).Take(2), Is.EqualTo(new[] { 0, 1 }));
        Assert.That(second.Results.Select(r => (r.Index, r.Score)), Is.EqualTo(expected.Results.Select(r => (r.Index, r.Score))));
        Assert.That(second.AdditionalProperties?[RerankResponseProperties.EmbeddingCacheHits], Is.EqualTo(Corpus.Length), "every document embedding came from the cache");
    }
}
