using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Rerank.Tests.Llm;

namespace Rerank.Tests.Middleware.Caching;

/// <summary>What the score cache keys on: the reranker's own scoring fingerprint, and never scores that depend on the candidate set.</summary>
[TestFixture]
public sealed class CacheIdentityTests
{
    private const string Query = "solar energy storage";

    // The walk-through: a document cached from one candidate set, then asked among others.
    private static readonly string[] FirstSet = ["solar energy storage in batteries", "wind power", "hydro dams", "coal plants", "gas turbines"];
    private static readonly string[] SecondSet = ["solar energy storage in batteries", "solar energy storage for homes", "solar energy storage at scale"];

    [Test]
    public async Task Bm25_over_the_candidates_cannot_be_cached_because_a_score_from_one_set_is_wrong_in_another()
    {
        using var bm25 = new Bm25Reranker();
        double inFirst = (await bm25.RerankAsync(Query, FirstSet)).Results.Single(r => r.Index == 0).Score;
        double inSecond = (await bm25.RerankAsync(Query, SecondSet)).Results.Single(r => r.Index == 0).Score;
        Assert.That(inFirst, Is.GreaterThan(inSecond * 3), "the same document: its terms are rare in the first set and common in the second");

        // Before score semantics the cache returned inFirst for the second set; now the pipeline cannot be built.
        var ex = Assert.Throws<InvalidOperationException>(() => new RerankerBuilder(new Bm25Reranker()).UseMemoryCache().Build());

        Assert.That(ex!.Message, Does.Contain("'bm25'").And.Contain("CandidateSetDependent").And.Contain("Bm25Options.CorpusStatistics"));
    }

    [Test]
    public async Task Bm25_with_corpus_statistics_is_pointwise_and_its_cached_scores_equal_the_uncached_ones_in_any_set()
    {
        Bm25CorpusStatistics statistics = Bm25CorpusStatistics.Create([.. FirstSet, .. SecondSet]);
        using var uncached = new Bm25Reranker(new Bm25Options { CorpusStatistics = statistics });
        using IReranker cached = new RerankerBuilder(new Bm25Reranker(new Bm25Options { CorpusStatistics = statistics })).UseMemoryCache().Build();

        await cached.RerankAsync(Query, FirstSet);
        RerankResponse fromCache = await cached.RerankAsync(Query, SecondSet);
        RerankResponse direct = await uncached.RerankAsync(Query, SecondSet);

        Assert.That(fromCache.AdditionalProperties![RerankResponseProperties.CacheHits], Is.EqualTo(1));
        Assert.That(fromCache.Results.Select(r => (r.Index, r.Score)), Is.EqualTo(direct.Results.Select(r => (r.Index, r.Score))));
        Assert.That(uncached.GetService<RerankerMetadata>()!.ScoreSemantics, Is.EqualTo(RerankScoreSemantics.Pointwise));
        Assert.That(new Bm25Reranker().GetService<RerankerMetadata>()!.ScoreSemantics, Is.EqualTo(RerankScoreSemantics.CandidateSetDependent));
    }

    [Test]
    public async Task Two_LLM_rerankers_with_different_score_scales_sharing_a_cache_do_not_read_each_others_scores()
    {
        var shared = new MemoryCache(new MemoryCacheOptions());
        var client = new RelevanceChatClient((q, d) => d.Contains("solar", StringComparison.Ordinal) ? 4 : 1, LlmRerankMode.Pointwise);
        using IReranker outOfTen = new RerankerBuilder(client.AsReranker(new LlmRerankerOptions { ModelId = "m", MaxScore = 10 })).UseMemoryCache(shared).Build();
        using IReranker outOfFive = new RerankerBuilder(client.AsReranker(new LlmRerankerOptions { ModelId = "m", MaxScore = 5 })).UseMemoryCache(shared).Build();

        RerankResponse ten = await outOfTen.RerankAsync(Query, SecondSet);
        RerankResponse five = await outOfFive.RerankAsync(Query, SecondSet);

        Assert.That(five.AdditionalProperties![RerankResponseProperties.CacheHits], Is.Zero, "same provider, URI and model, but another scale");
        Assert.That(ten.Results[0].Score, Is.EqualTo(0.4).Within(1e-12));
        Assert.That(five.Results[0].Score, Is.EqualTo(0.8).Within(1e-12));
    }

    [Test]
    public void Pointwise_and_listwise_LLM_rerankers_declare_their_semantics_and_differ_in_fingerprint()
    {
        var client = new RelevanceChatClient((q, d) => 1, LlmRerankMode.Pointwise);
        RerankerMetadata pointwise = client.AsReranker(new LlmRerankerOptions { Mode = LlmRerankMode.Pointwise }).GetService<RerankerMetadata>()!;
        RerankerMetadata listwise = client.AsReranker(new LlmRerankerOptions { Mode = LlmRerankMode.Listwise }).GetService<RerankerMetadata>()!;
        RerankerMetadata otherPrompt = client.AsReranker(new LlmRerankerOptions { PointwiseSystemPrompt = "Judge strictly." }).GetService<RerankerMetadata>()!;

        Assert.That(pointwise.ScoreSemantics, Is.EqualTo(RerankScoreSemantics.Pointwise));
        Assert.That(listwise.ScoreSemantics, Is.EqualTo(RerankScoreSemantics.CandidateSetDependent));
        Assert.That(new[] { pointwise.ScoringFingerprint, listwise.ScoringFingerprint, otherPrompt.ScoringFingerprint }, Is.Unique);
        Assert.That(otherPrompt.ScoringFingerprint, Does.Not.Contain("Judge strictly"), "prompts enter as digests");
        Assert.Throws<InvalidOperationException>(() => new RerankerBuilder(client.AsReranker(new LlmRerankerOptions { Mode = LlmRerankMode.Listwise })).UseMemoryCache().Build());
    }

    [Test]
    public async Task A_reranker_without_a_fingerprint_is_keyed_on_provider_uri_and_model_and_the_cache_says_so_once()
    {
        var logger = new FakeLogger();
        var probe = new ProbeReranker("custom", "v1") { ScoringFingerprint = null };
        using IReranker reranker = new CachingReranker(probe, options: null, logger: logger);

        await reranker.RerankAsync(Query, SecondSet);
        RerankResponse again = await reranker.RerankAsync(Query, SecondSet);

        Assert.That(again.AdditionalProperties![RerankResponseProperties.CacheHits], Is.EqualTo(SecondSet.Length));
        FakeLogRecord warning = logger.Collector.GetSnapshot().Single(r => r.Level == LogLevel.Warning);
        Assert.That(warning.Message, Does.Contain("custom/v1").And.Contain("custom||v1").And.Contain("CachingRerankerOptions.Identity"));
    }

    [Test]
    public void Layers_answer_metadata_that_combines_their_settings_with_the_inner_rerankers()
    {
        var inner = new Rerank.Testing.TestReranker();
        string innerPrint = inner.GetService<RerankerMetadata>()!.ScoringFingerprint!;

        RerankerMetadata chunked = new RerankerBuilder(inner).UseLongDocuments(o => o.WindowSize = 300).Build().GetService<RerankerMetadata>()!;
        RerankerMetadata otherWindow = new RerankerBuilder(inner).UseLongDocuments(o => o.WindowSize = 400).Build().GetService<RerankerMetadata>()!;
        RerankerMetadata deduplicated = new RerankerBuilder(inner).UseDeduplication().UseBatching(8).Build().GetService<RerankerMetadata>()!;
        RerankerMetadata pointwiseChain = new RerankerBuilder(inner).UseFallback(new Rerank.Testing.TestReranker { ModelId = "other" }).Build().GetService<RerankerMetadata>()!;
        RerankerMetadata setChain = new RerankerBuilder(inner).UseFallback(new FirstStageOrderReranker()).Build().GetService<RerankerMetadata>()!;

        Assert.That(chunked.ScoreSemantics, Is.EqualTo(RerankScoreSemantics.Pointwise));
        Assert.That(chunked.ScoringFingerprint, Does.EndWith("/" + innerPrint).And.Contain("window=300"));
        Assert.That(otherWindow.ScoringFingerprint, Is.Not.EqualTo(chunked.ScoringFingerprint));
        Assert.That(deduplicated.ScoringFingerprint, Is.EqualTo(innerPrint), "deduplication and batching change no score");
        Assert.That(pointwiseChain.ScoreSemantics, Is.EqualTo(RerankScoreSemantics.CandidateSetDependent), "two pointwise models, two scales: calls they answer must not be merged");
        Assert.That(pointwiseChain.ScoringFingerprint, Is.EqualTo($"fallback[{innerPrint} > test-lexical(model=other)]"));
        Assert.That(setChain.ScoreSemantics, Is.EqualTo(RerankScoreSemantics.CandidateSetDependent), "the chain may answer with the first-stage order");
        Assert.That(chunked.ProviderName, Is.EqualTo("test"));
    }

    [Test]
    public void A_hybrid_is_pointwise_only_for_a_weighted_sum_of_pointwise_signals_with_per_value_normalisation()
    {
        var inner = new Rerank.Testing.TestReranker();
        static RerankScoreSemantics Of(HybridRerankerBuilder b) => b.Build().GetService<RerankerMetadata>()!.ScoreSemantics;

        Assert.That(Of(new HybridRerankerBuilder().AddReranker(inner, 1, ScoreNormalization.Sigmoid).AddReranker(new Rerank.Testing.TestReranker { ModelId = "b" }, 1, ScoreNormalization.None)), Is.EqualTo(RerankScoreSemantics.Pointwise));
        Assert.That(Of(new HybridRerankerBuilder().AddReranker(inner, 1, ScoreNormalization.MinMax)), Is.EqualTo(RerankScoreSemantics.CandidateSetDependent));
        Assert.That(Of(new HybridRerankerBuilder().AddReranker(inner, 1, ScoreNormalization.ZScore)), Is.EqualTo(RerankScoreSemantics.CandidateSetDependent));
        Assert.That(Of(new HybridRerankerBuilder().AddReranker(inner, 1, ScoreNormalization.Rank)), Is.EqualTo(RerankScoreSemantics.CandidateSetDependent));
        Assert.That(Of(new HybridRerankerBuilder().AddReranker(inner, 1, ScoreNormalization.None).UseReciprocalRankFusion()), Is.EqualTo(RerankScoreSemantics.CandidateSetDependent));
        Assert.That(Of(new HybridRerankerBuilder().AddReranker(inner, 1, ScoreNormalization.None).AddBm25(1, ScoreNormalization.None)), Is.EqualTo(RerankScoreSemantics.CandidateSetDependent));
        Assert.That(Of(new HybridRerankerBuilder().AddReranker(inner, 1, ScoreNormalization.None).AddFirstStageScore(1, ScoreNormalization.None)), Is.EqualTo(RerankScoreSemantics.CandidateSetDependent), "the first-stage score is not in a cache key");
        Assert.That(Of(new HybridRerankerBuilder().AddReranker(new Rerank.Testing.TestReranker { ScoreSemantics = RerankScoreSemantics.Unspecified }, 1, ScoreNormalization.None)), Is.EqualTo(RerankScoreSemantics.Unspecified));

        string?[] prints =
        [
            new HybridRerankerBuilder().AddReranker(inner, 1, ScoreNormalization.None).Build().GetService<RerankerMetadata>()!.ScoringFingerprint,
            new HybridRerankerBuilder().AddReranker(inner, 2, ScoreNormalization.None).Build().GetService<RerankerMetadata>()!.ScoringFingerprint,
            new HybridRerankerBuilder().AddReranker(inner, 1, ScoreNormalization.Sigmoid).Build().GetService<RerankerMetadata>()!.ScoringFingerprint,
        ];
        Assert.That(prints, Is.Unique);
    }
}
