namespace Rerank.Tests.Hybrid;

/// <summary>NaN, infinities, a single document, all-equal values and missing values: never a NaN score out.</summary>
[TestFixture]
public sealed class HybridEdgeCaseTests
{
    private const double Tolerance = 1e-12;

    private static readonly ScoreNormalization[] AllNormalizations = Enum.GetValues<ScoreNormalization>();

    private static async Task<RerankResult[]> RunAsync(HybridRerankerBuilder builder, List<RerankDocument> documents)
    {
        using HybridReranker reranker = builder.Build();
        return (await reranker.RerankAsync("query", documents)).ByIndex();
    }

    [TestCaseSource(nameof(AllNormalizations))]
    public async Task A_single_document_gets_a_finite_score(ScoreNormalization normalization)
    {
        RerankResult[] results = await RunAsync(new HybridRerankerBuilder().AddSignal("x", HybridTestData.Values(42), 1, normalization), HybridTestData.Documents(1));

        // MinMax: max = min → 0.5. ZScore: σ = 0 → 0. Rank: one document → 1. Sigmoid(42) ≈ 1. None: 42.
        double expected = normalization switch
        {
            ScoreNormalization.MinMax => 0.5,
            ScoreNormalization.ZScore => 0,
            ScoreNormalization.Rank => 1,
            ScoreNormalization.Sigmoid => 1 / (1 + Math.Exp(-42)),
            _ => 42,
        };
        Assert.That(results.Single().Score, Is.EqualTo(expected).Within(Tolerance));
    }

    [TestCaseSource(nameof(AllNormalizations))]
    public async Task All_equal_values_give_equal_finite_scores(ScoreNormalization normalization)
    {
        RerankResult[] results = await RunAsync(new HybridRerankerBuilder().AddSignal("x", HybridTestData.Values(0.3, 0.3, 0.3, 0.3), 1, normalization), HybridTestData.Documents(4));

        Assert.That(results.Select(r => r.Score), Is.All.EqualTo(results[0].Score));
        Assert.That(results[0].Score, Is.Not.NaN.And.Not.EqualTo(double.PositiveInfinity).And.Not.EqualTo(double.NegativeInfinity));
        if (normalization == ScoreNormalization.MinMax)
        {
            Assert.That(results[0].Score, Is.EqualTo(0.5), "documented: all-equal min-max is the neutral 0.5");
        }
    }

    [Test]
    public async Task All_equal_values_keep_input_order_and_the_other_signal_decides()
    {
        using HybridReranker reranker = new HybridRerankerBuilder()
            .AddFirstStageScore(0.5)
            .AddSignal("x", HybridTestData.Values(2, 1, 3), 0.5)
            .Build();

        RerankResponse response = await reranker.RerankAsync("q", HybridTestData.Documents(3, 0.7, 0.7, 0.7));

        // first_stage all 0.7 → 0.5 each; x → [0.5, 0, 1]; d0 = 0.5, d1 = 0.25, d2 = 0.75
        Assert.That(response.Results.Select(r => r.Index), Is.EqualTo(new[] { 2, 0, 1 }));
        Assert.That(response.ByIndex().Select(r => r.Score), Is.EqualTo(new[] { 0.5, 0.25, 0.75 }).Within(Tolerance));
    }

    [TestCaseSource(nameof(AllNormalizations))]
    public async Task Infinities_never_produce_NaN_or_infinite_scores(ScoreNormalization normalization)
    {
        RerankResult[] results = await RunAsync(
            new HybridRerankerBuilder().AddSignal("x", HybridTestData.Values(double.PositiveInfinity, 1, 0, double.NegativeInfinity), 1, normalization),
            HybridTestData.Documents(4));

        Assert.That(results.Select(r => r.Score), Is.All.Not.NaN);
        Assert.That(results.Select(r => double.IsFinite(r.Score)), Is.All.True);
        Assert.That(results[0].Score, Is.GreaterThanOrEqualTo(results[1].Score), "+∞ is never below a finite value");
        Assert.That(results[3].Score, Is.LessThanOrEqualTo(results[2].Score), "−∞ is never above a finite value");
        Assert.That(results[0].Component("x").RawValue, Is.EqualTo(double.PositiveInfinity), "the raw value is reported as given");
    }

    [Test]
    public async Task Infinities_are_the_ends_of_min_max_rank_and_sigmoid_and_clamped_for_none()
    {
        double[] values = [double.PositiveInfinity, 1, 0.5, 0, double.NegativeInfinity];
        RerankResult[] minMax = await RunAsync(new HybridRerankerBuilder().AddSignal("x", HybridTestData.Values(values)), HybridTestData.Documents(5));
        RerankResult[] rank = await RunAsync(new HybridRerankerBuilder().AddSignal("x", HybridTestData.Values(values), 1, ScoreNormalization.Rank), HybridTestData.Documents(5));
        RerankResult[] sigmoid = await RunAsync(new HybridRerankerBuilder().AddSignal("x", HybridTestData.Values(values), 1, ScoreNormalization.Sigmoid), HybridTestData.Documents(5));

        RerankResult[] none = await RunAsync(new HybridRerankerBuilder().AddSignal("x", HybridTestData.Values(values), 1, ScoreNormalization.None), HybridTestData.Documents(5));

        // Min-max over the finite [1, 0.5, 0] → [1, 0.5, 0]; +∞ → 1, −∞ → 0
        Assert.That(minMax.Select(r => r.Score), Is.EqualTo(new[] { 1, 1, 0.5, 0, 0 }).Within(Tolerance));

        // None clamps to the finite extremes 1 and 0
        Assert.That(none.Select(r => r.Score), Is.EqualTo(new[] { 1, 1, 0.5, 0, 0 }).Within(Tolerance));

        // Ranks 1..5 → (5 − rank) / 4 = [1, 0.75, 0.5, 0.25, 0]
        Assert.That(rank.Select(r => r.Score), Is.EqualTo(new[] { 1, 0.75, 0.5, 0.25, 0 }).Within(Tolerance));

        // σ(+∞) = 1, σ(−∞) = 0
        Assert.That(sigmoid[0].Score, Is.EqualTo(1));
        Assert.That(sigmoid[4].Score, Is.EqualTo(0));
    }

    [Test]
    public async Task Only_infinities_map_to_one_and_zero()
    {
        RerankResult[] results = await RunAsync(
            new HybridRerankerBuilder().AddSignal("x", HybridTestData.Values(double.NegativeInfinity, double.PositiveInfinity)),
            HybridTestData.Documents(2));

        Assert.That(results.Select(r => r.Score), Is.EqualTo(new[] { 0.0, 1.0 }));
    }

    [TestCaseSource(nameof(AllNormalizations))]
    public async Task Extreme_magnitudes_stay_finite(ScoreNormalization normalization)
    {
        RerankResult[] results = await RunAsync(
            new HybridRerankerBuilder()
                .AddSignal("x", HybridTestData.Values(double.MaxValue, -double.MaxValue, double.Epsilon), 1e300, normalization)
                .AddSignal("y", HybridTestData.Values(-double.MaxValue, double.MaxValue, 0), 1e300, normalization),
            HybridTestData.Documents(3));

        Assert.That(results.Select(r => double.IsFinite(r.Score)), Is.All.True);
    }

    [Test]
    public async Task Z_score_of_huge_values_does_not_overflow()
    {
        RerankResult[] results = await RunAsync(
            new HybridRerankerBuilder().AddSignal("x", HybridTestData.Values(double.MaxValue, -double.MaxValue), 1, ScoreNormalization.ZScore),
            HybridTestData.Documents(2));

        // Scaled by the largest magnitude: [1, −1], mean 0, σ = 1 → z = [1, −1]
        Assert.That(results.Select(r => r.Score), Is.EqualTo(new[] { 1.0, -1.0 }).Within(Tolerance));
    }

    [Test]
    public async Task A_missing_value_counts_as_the_minimum_by_default()
    {
        RerankResult[] results = await RunAsync(
            new HybridRerankerBuilder().AddFirstStageScore(0.5).AddSignal("x", HybridTestData.Values(1, 3, 2), 0.5),
            HybridTestData.Documents(3, 0.9, null, 0.5));

        // first_stage over present [0.9, 0.5] → [1, 0]; d1 missing → minimum 0.
        // x → [0, 1, 0.5]. d0 = 0.5, d1 = 0.5, d2 = 0.25
        Assert.That(results.Select(r => r.Score), Is.EqualTo(new[] { 0.5, 0.5, 0.25 }).Within(Tolerance));
        Assert.That(results[1].Component("first_stage").RawValue, Is.NaN);
        Assert.That(results[1].Component("first_stage").NormalizedValue, Is.Zero);
        Assert.That(results[1].Component("first_stage").Weight, Is.EqualTo(0.5));
    }

    [Test]
    public async Task A_missing_value_can_renormalise_the_documents_weights()
    {
        RerankResult[] results = await RunAsync(
            new HybridRerankerBuilder()
                .AddFirstStageScore(0.5)
                .AddSignal("x", HybridTestData.Values(1, 3, 2), 0.5)
                .HandleMissingValues(HybridMissingValueBehavior.Renormalize),
            HybridTestData.Documents(3, 0.9, null, 0.5));

        // d1 has only x: its weight 0.5 is scaled by total / present = 1 / 0.5 = 2 → 1 · 1 = 1.
        // d0 = 0.5 · 1 + 0.5 · 0 = 0.5; d2 = 0.5 · 0 + 0.5 · 0.5 = 0.25
        Assert.That(results.Select(r => r.Score), Is.EqualTo(new[] { 0.5, 1.0, 0.25 }).Within(Tolerance));
        Assert.That(results[1].Component("first_stage").Weight, Is.Zero);
        Assert.That(results[1].Component("x").Weight, Is.EqualTo(1));
    }

    [Test]
    public async Task A_document_missing_every_signal_under_renormalise_falls_back_to_the_minimum()
    {
        RerankResult[] results = await RunAsync(
            new HybridRerankerBuilder().AddFirstStageScore().HandleMissingValues(HybridMissingValueBehavior.Renormalize),
            HybridTestData.Documents(3, 0.2, null, 0.6));

        // Present [0.2, 0.6] → [0, 1]; d1 has nothing left → minimum 0 at the full weight.
        Assert.That(results.Select(r => r.Score), Is.EqualTo(new[] { 0.0, 0.0, 1.0 }).Within(Tolerance));
        Assert.That(results[1].Component("first_stage").Weight, Is.EqualTo(1));
    }

    [Test]
    public async Task NaN_from_a_signal_is_a_missing_value()
    {
        RerankResult[] results = await RunAsync(
            new HybridRerankerBuilder().AddSignal("x", HybridTestData.Values(double.NaN, 2, 4, double.NaN)),
            HybridTestData.Documents(4));

        // Present [2, 4] → [0, 1]; NaN documents get the minimum 0.
        Assert.That(results.Select(r => r.Score), Is.EqualTo(new[] { 0.0, 0, 1, 0 }).Within(Tolerance));
    }

    [Test]
    public async Task A_signal_with_no_values_at_all_changes_nothing()
    {
        RerankResult[] results = await RunAsync(
            new HybridRerankerBuilder().AddFirstStageScore(0.5).AddSignal("x", HybridTestData.Values(1, 3, 2), 0.5),
            HybridTestData.Documents(3));

        // first_stage has no values: it adds 0 to everyone. x → [0, 1, 0.5] · 0.5
        Assert.That(results.Select(r => r.Score), Is.EqualTo(new[] { 0, 0.5, 0.25 }).Within(Tolerance));
    }

    [Test]
    public async Task NaN_and_infinite_first_stage_scores_are_handled()
    {
        RerankResult[] results = await RunAsync(
            new HybridRerankerBuilder().AddFirstStageScore(),
            HybridTestData.Documents(4, double.NaN, double.PositiveInfinity, 0.5, double.NegativeInfinity));

        // NaN → missing. Min-max: +∞ → 1, −∞ → 0, the lone finite 0.5 → 0.5 (all finite values equal).
        // The missing d0 takes the minimum, 0.
        Assert.That(results.Select(r => r.Score), Is.EqualTo(new[] { 0, 1, 0.5, 0 }).Within(Tolerance));
    }
}
