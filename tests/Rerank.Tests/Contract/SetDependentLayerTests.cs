using Microsoft.Extensions.Time.Testing;
using Rerank.Testing;
using Rerank.Tests.Middleware.Caching;

namespace Rerank.Tests.Contract;

/// <summary>
/// Every layer over a reranker whose scores depend on the candidate set: it must be refused when the pipeline is built,
/// or give exactly the scores the reranker gives on its own for the same candidates, whatever was asked before and
/// whatever runs next to it. The contract suite runs each layer over a pointwise reranker only, so it cannot see this.
/// </summary>
[TestFixture]
public sealed class SetDependentLayerTests
{
    private const string Query = "plants make energy from sunlight";

    // The first set holds the best document; the others do not, so a score taken from the first set (a cache hit), from a
    // batch of two, from a merged group or from a set of chunks differs from the score the reranker gives each set.
    private static readonly string[] Priming = ["plants make energy from sunlight in leaves", "plants grow", "energy drinks"];
    private static readonly string[] Second = ["plants grow", "energy drinks", "sunlight on water", "plants grow"];
    private static readonly string[] Third =
    [
        "energy drinks",
        "a long report on how plants store sugar, with many words about soil, water, roots and weather, and only at the end energy from sunlight",
        "plants",
    ];

    private static readonly object[] Layers =
    [
        new object[] { "UseMemoryCache", (Func<RerankerBuilder, FakeTimeProvider, RerankerBuilder>)((b, _) => b.UseCache(CacheBackend.OwnMemory)), true },
        new object[] { "UseMemoryCache(cache)", (Func<RerankerBuilder, FakeTimeProvider, RerankerBuilder>)((b, _) => b.UseCache(CacheBackend.Memory)), true },
        new object[] { "UseDistributedCache", (Func<RerankerBuilder, FakeTimeProvider, RerankerBuilder>)((b, _) => b.UseCache(CacheBackend.Distributed)), true },
        new object[] { "UseHybridCache", (Func<RerankerBuilder, FakeTimeProvider, RerankerBuilder>)((b, _) => b.UseCache(CacheBackend.Hybrid)), true },
        new object[] { "UseBatching (split)", (Func<RerankerBuilder, FakeTimeProvider, RerankerBuilder>)((b, _) => b.UseBatching(2, o => o.CoalescingWindow = TimeSpan.Zero)), true },
        new object[] { "UseBatching (coalesce)", (Func<RerankerBuilder, FakeTimeProvider, RerankerBuilder>)((b, t) => b.UseBatching(32, o => { o.CoalescingWindow = TimeSpan.FromMilliseconds(5); o.TimeProvider = t; })), true },
        new object[] { "UseLongDocuments", (Func<RerankerBuilder, FakeTimeProvider, RerankerBuilder>)((b, _) => b.UseLongDocuments(o => { o.WindowSize = 40; o.Overlap = 10; })), true },
        new object[] { "UseDeduplication", (Func<RerankerBuilder, FakeTimeProvider, RerankerBuilder>)((b, _) => b.UseDeduplication()), false },
        new object[] { "UseFallback", (Func<RerankerBuilder, FakeTimeProvider, RerankerBuilder>)((b, _) => b.UseFallback(new FirstStageOrderReranker())), false },
        new object[] { "UseTimeout", (Func<RerankerBuilder, FakeTimeProvider, RerankerBuilder>)((b, _) => b.UseTimeout(TimeSpan.FromHours(1))), false },
        new object[] { "UseLogging", (Func<RerankerBuilder, FakeTimeProvider, RerankerBuilder>)((b, _) => b.UseLogging()), false },
        new object[] { "UseOpenTelemetry", (Func<RerankerBuilder, FakeTimeProvider, RerankerBuilder>)((b, _) => b.UseOpenTelemetry()), false },
    ];

    [TestCaseSource(nameof(Layers))]
    public async Task A_set_dependent_reranker_is_refused_at_build_or_scored_exactly_as_without_the_layer(string layer, Func<RerankerBuilder, FakeTimeProvider, RerankerBuilder> add, bool mustRefuse)
    {
        var inner = new SetDependentTestReranker();
        var time = new FakeTimeProvider();
        IReranker reranker;
        try
        {
            reranker = add(new RerankerBuilder(inner), time).Build();
        }
        catch (InvalidOperationException ex)
        {
            Assert.That(ex.Message, Does.Contain("'test/set-dependent'").And.Contain("CandidateSetDependent").And.Contain("docs/score-semantics.md"), layer);
            return;
        }

        using (reranker)
        {
            // Asked before, so that a cache holds the first set's scores.
            Task<RerankResponse> priming = reranker.RerankAsync(Query, Priming);
            time.Advance(TimeSpan.FromSeconds(1));
            await priming;

            // Asked together, so that a coalescing layer could merge them; the window closes after both are waiting.
            Task<RerankResponse> second = reranker.RerankAsync(Query, Second);
            Task<RerankResponse> third = reranker.RerankAsync(Query, Third);
            time.Advance(TimeSpan.FromSeconds(1));

            AssertScoresAreTheRerankers(await second, Second, layer);
            AssertScoresAreTheRerankers(await third, Third, layer);
        }

        Assert.That(mustRefuse, Is.False, $"{layer} accepted a set-dependent reranker; it gave the right scores here, but caching, splitting, chunking and coalescing cannot in general");
    }

    [TestCase(RerankScoreSemantics.Unspecified)]
    [TestCase(RerankScoreSemantics.CandidateSetDependent)]
    public void Every_candidate_changing_layer_refuses_a_reranker_that_is_not_declared_pointwise_and_says_how_to_fix_it(RerankScoreSemantics semantics)
    {
        foreach (object[] row in Layers.Cast<object[]>().Where(r => (bool)r[2]))
        {
            var inner = new TestReranker { ScoreSemantics = semantics };
            var add = (Func<RerankerBuilder, FakeTimeProvider, RerankerBuilder>)row[1];

            var ex = Assert.Throws<InvalidOperationException>(() => add(new RerankerBuilder(inner), new FakeTimeProvider()).Build(), (string)row[0]);

            Assert.That(ex!.Message, Does.Contain("'test/test-lexical' (TestReranker)").And.Contain("pointwise"), (string)row[0]);
            Assert.That(ex.Message, semantics == RerankScoreSemantics.Unspecified ? Does.Contain("ScoreSemantics = RerankScoreSemantics.Pointwise") : Does.Contain("CandidateSetDependent"), (string)row[0]);
        }
    }

    private static void AssertScoresAreTheRerankers(RerankResponse response, string[] texts, string layer)
    {
        double[] expected = SetDependentTestReranker.Scores(Query, texts);
        Assert.That(response.Results, Has.Count.EqualTo(texts.Length), layer);
        foreach (RerankResult result in response.Results)
        {
            Assert.That(result.Score, Is.EqualTo(expected[result.Index]).Within(1e-12), $"{layer}: '{texts[result.Index]}' did not get the score the reranker gives this candidate set");
        }
    }
}
