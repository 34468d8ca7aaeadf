namespace Rerank.Tests.Hybrid;

/// <summary>
/// Reciprocal rank fusion against its published formula: Cormack, Clarke and Büttcher, "Reciprocal Rank Fusion
/// outperforms Condorcet and Individual Rank Learning Methods", SIGIR 2009: RRFscore(d ∈ D) = Σ_{r ∈ R} 1 / (k + r(d)),
/// k = 60, r(d) the 1-based rank of d in ranking r.
/// </summary>
[TestFixture]
public sealed class HybridReciprocalRankFusionTests
{
    private const double Tolerance = 1e-15;

    [Test]
    public async Task Worked_example_with_k_60()
    {
        using HybridReranker reranker = new HybridRerankerBuilder()
            .AddSignal("a", HybridTestData.Values(3, 2, 1))
            .AddSignal("b", HybridTestData.Values(1, 3, 2))
            .UseReciprocalRankFusion()
            .Build();

        RerankResponse response = await reranker.RerankAsync("q", HybridTestData.Documents(3));
        RerankResult[] results = response.ByIndex();

        // ranks in a: d0 = 1, d1 = 2, d2 = 3; ranks in b: d0 = 3, d1 = 1, d2 = 2
        // d0 = 1/61 + 1/63 ≈ 0.032266; d1 = 1/62 + 1/61 ≈ 0.032523; d2 = 1/63 + 1/62 ≈ 0.032002
        Assert.That(results[0].Score, Is.EqualTo((1.0 / 61) + (1.0 / 63)).Within(Tolerance));
        Assert.That(results[1].Score, Is.EqualTo((1.0 / 62) + (1.0 / 61)).Within(Tolerance));
        Assert.That(results[2].Score, Is.EqualTo((1.0 / 63) + (1.0 / 62)).Within(Tolerance));
        Assert.That(response.Results.Select(r => r.Index), Is.EqualTo(new[] { 1, 0, 2 }));
        Assert.That(results[1].Component("b").NormalizedValue, Is.EqualTo(1.0 / 61).Within(Tolerance), "the component's value is the term 1 / (k + rank)");
        Assert.That(results[1].Component("b").Weight, Is.EqualTo(1));
    }

    [Test]
    public async Task Matches_the_published_formula_over_random_rankings()
    {
        const int Documents = 50, Signals = 4;
        var random = new Random(2009);
        double[][] values = [.. Enumerable.Range(0, Signals).Select(_ => Enumerable.Range(0, Documents).Select(_ => random.NextDouble()).ToArray())];
        var builder = new HybridRerankerBuilder().UseReciprocalRankFusion();
        for (int s = 0; s < Signals; s++)
        {
            // Normalisations must not matter for RRF.
            builder.AddSignal($"s{s}", HybridTestData.Values(values[s]), 1, (ScoreNormalization)(s % 5));
        }

        using HybridReranker reranker = builder.Build();
        RerankResult[] results = (await reranker.RerankAsync("q", HybridTestData.Documents(Documents))).ByIndex();

        for (int d = 0; d < Documents; d++)
        {
            // r(d) computed independently: 1 + the number of documents with a higher value in that ranking.
            double expected = 0;
            for (int s = 0; s < Signals; s++)
            {
                int rank = 1 + values[s].Count(v => v > values[s][d]);
                expected += 1.0 / (60 + rank);
            }

            Assert.That(results[d].Score, Is.EqualTo(expected).Within(Tolerance), $"document {d}");
        }
    }

    [Test]
    public async Task Weights_multiply_each_term_and_k_is_configurable()
    {
        using HybridReranker reranker = new HybridRerankerBuilder()
            .AddSignal("a", HybridTestData.Values(3, 2, 1), 2)
            .AddSignal("b", HybridTestData.Values(1, 3, 2), 0.5)
            .UseReciprocalRankFusion(k: 10)
            .Build();

        RerankResult[] results = (await reranker.RerankAsync("q", HybridTestData.Documents(3))).ByIndex();

        // d0 = 2/(10+1) + 0.5/(10+3); d1 = 2/(10+2) + 0.5/(10+1); d2 = 2/(10+3) + 0.5/(10+2)
        Assert.That(results[0].Score, Is.EqualTo((2.0 / 11) + (0.5 / 13)).Within(Tolerance));
        Assert.That(results[1].Score, Is.EqualTo((2.0 / 12) + (0.5 / 11)).Within(Tolerance));
        Assert.That(results[2].Score, Is.EqualTo((2.0 / 13) + (0.5 / 12)).Within(Tolerance));
    }

    [Test]
    public async Task Equal_values_share_the_best_rank_of_their_group()
    {
        using HybridReranker reranker = new HybridRerankerBuilder().AddSignal("a", HybridTestData.Values(2, 2, 1, 5)).UseReciprocalRankFusion().Build();

        RerankResult[] results = (await reranker.RerankAsync("q", HybridTestData.Documents(4))).ByIndex();

        // [2, 2, 1, 5] → ranks 2, 2, 4, 1
        Assert.That(results.Select(r => r.Score), Is.EqualTo(new[] { 1.0 / 62, 1.0 / 62, 1.0 / 64, 1.0 / 61 }).Within(Tolerance));
    }

    [Test]
    public async Task A_missing_value_ranks_after_the_last_present_one()
    {
        using HybridReranker reranker = new HybridRerankerBuilder()
            .AddFirstStageScore()
            .AddSignal("b", HybridTestData.Values(1, 2, 3))
            .UseReciprocalRankFusion()
            .Build();

        RerankResult[] results = (await reranker.RerankAsync("q", HybridTestData.Documents(3, 0.9, null, 0.1))).ByIndex();

        // first_stage: d0 rank 1, d2 rank 2, d1 missing → rank 3; b: d2 = 1, d1 = 2, d0 = 3
        Assert.That(results[0].Score, Is.EqualTo((1.0 / 61) + (1.0 / 63)).Within(Tolerance));
        Assert.That(results[1].Score, Is.EqualTo((1.0 / 63) + (1.0 / 62)).Within(Tolerance));
        Assert.That(results[2].Score, Is.EqualTo((1.0 / 62) + (1.0 / 61)).Within(Tolerance));
        Assert.That(results[1].Component("first_stage").RawValue, Is.NaN, "a missing raw value is reported as NaN");
    }

    [Test]
    public async Task Infinities_take_the_extreme_ranks()
    {
        using HybridReranker reranker = new HybridRerankerBuilder()
            .AddSignal("a", HybridTestData.Values(1, double.NegativeInfinity, double.PositiveInfinity))
            .UseReciprocalRankFusion()
            .Build();

        RerankResult[] results = (await reranker.RerankAsync("q", HybridTestData.Documents(3))).ByIndex();

        Assert.That(results.Select(r => r.Score), Is.EqualTo(new[] { 1.0 / 62, 1.0 / 63, 1.0 / 61 }).Within(Tolerance));
    }

    [TestCase(-1.0)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    public void An_invalid_k_is_rejected(double k)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new HybridRerankerBuilder().UseReciprocalRankFusion(k));
    }
}
