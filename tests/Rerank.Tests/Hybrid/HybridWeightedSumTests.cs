using Rerank.Testing;

namespace Rerank.Tests.Hybrid;

/// <summary>Weighted-sum fusion and each normalisation, checked against arithmetic done by hand.</summary>
[TestFixture]
public sealed class HybridWeightedSumTests
{
    private const double Tolerance = 1e-12;

    private static async Task<RerankResult[]> RunAsync(HybridRerankerBuilder builder, List<RerankDocument> documents)
    {
        using HybridReranker reranker = builder.Build();
        RerankResponse response = await reranker.RerankAsync("query", documents);
        return response.ByIndex();
    }

    [Test]
    public async Task Worked_example_min_max()
    {
        List<RerankDocument> documents = HybridTestData.Documents(3, 0.9, 0.5, 0.1);
        var builder = new HybridRerankerBuilder()
            .AddFirstStageScore(0.6)
            .AddSignal("popularity", HybridTestData.Values(10, 30, 20), 0.4);

        using HybridReranker reranker = builder.Build();
        RerankResponse response = await reranker.RerankAsync("query", documents);
        RerankResult[] results = response.ByIndex();

        // first_stage min-max over [0.9, 0.5, 0.1]: min 0.1, max 0.9 → [0.8/0.8, 0.4/0.8, 0] = [1, 0.5, 0]
        // popularity min-max over [10, 30, 20]: min 10, max 30 → [0, 1, 0.5]
        // d0 = 0.6 · 1   + 0.4 · 0   = 0.6
        // d1 = 0.6 · 0.5 + 0.4 · 1   = 0.7
        // d2 = 0.6 · 0   + 0.4 · 0.5 = 0.2
        Assert.That(results.Select(r => r.Score), Is.EqualTo(new[] { 0.6, 0.7, 0.2 }).Within(Tolerance));
        Assert.That(response.Results.Select(r => r.Index), Is.EqualTo(new[] { 1, 0, 2 }));
        Assert.That(results[1].Component("first_stage"), Is.EqualTo(new RerankScoreComponent("first_stage", 0.5, 0.5, 0.6)).Using<RerankScoreComponent>(ComponentsEqual));
        Assert.That(results[1].Component("popularity"), Is.EqualTo(new RerankScoreComponent("popularity", 30, 1, 0.4)).Using<RerankScoreComponent>(ComponentsEqual));
        Assert.That(results[2].ScoreComponents!.Select(c => c.Name), Is.EqualTo(new[] { "first_stage", "popularity" }), "components follow the order signals were added");
        Assert.That(reranker.SignalNames, Is.EqualTo(new[] { "first_stage", "popularity" }));
        Assert.That(response.ModelId, Is.EqualTo(HybridReranker.ModelId));
    }

    [Test]
    public async Task Worked_example_z_score()
    {
        RerankResult[] results = await RunAsync(
            new HybridRerankerBuilder().AddSignal("x", HybridTestData.Values(1, 2, 3), 1, ScoreNormalization.ZScore),
            HybridTestData.Documents(3));

        // mean = 2; population variance = ((−1)² + 0² + 1²) / 3 = 2/3; σ = √(2/3) ≈ 0.816497
        // z = [−1/σ, 0, 1/σ] ≈ [−1.224745, 0, 1.224745]
        double sigma = Math.Sqrt(2.0 / 3);
        Assert.That(results.Select(r => r.Score), Is.EqualTo(new[] { -1 / sigma, 0, 1 / sigma }).Within(Tolerance));
    }

    [Test]
    public async Task Worked_example_rank_with_ties()
    {
        RerankResult[] results = await RunAsync(
            new HybridRerankerBuilder().AddSignal("x", HybridTestData.Values(5, 5, 3, 1), 1, ScoreNormalization.Rank),
            HybridTestData.Documents(4));

        // Competition ranks of [5, 5, 3, 1]: 1, 1, 3, 4; n = 4; (n − rank) / (n − 1) = [3/3, 3/3, 1/3, 0/3]
        Assert.That(results.Select(r => r.Score), Is.EqualTo(new[] { 1, 1, 1.0 / 3, 0 }).Within(Tolerance));
    }

    [Test]
    public async Task Worked_example_sigmoid()
    {
        RerankResult[] results = await RunAsync(
            new HybridRerankerBuilder().AddSignal("logit", HybridTestData.Values(0, Math.Log(3), -Math.Log(3)), 2, ScoreNormalization.Sigmoid),
            HybridTestData.Documents(3));

        // σ(0) = 0.5; σ(ln 3) = 1 / (1 + 1/3) = 0.75; σ(−ln 3) = 1 / (1 + 3) = 0.25; times weight 2
        Assert.That(results.Select(r => r.Score), Is.EqualTo(new[] { 1.0, 1.5, 0.5 }).Within(Tolerance));
        Assert.That(results.Select(r => r.Component("logit").NormalizedValue), Is.EqualTo(new[] { 0.5, 0.75, 0.25 }).Within(Tolerance));
    }

    [Test]
    public async Task None_passes_raw_values_through()
    {
        RerankResult[] results = await RunAsync(
            new HybridRerankerBuilder().AddSignal("p", HybridTestData.Values(0.2, 0.9, -3), 0.5, ScoreNormalization.None),
            HybridTestData.Documents(3));

        Assert.That(results.Select(r => r.Score), Is.EqualTo(new[] { 0.1, 0.45, -1.5 }).Within(Tolerance));
    }

    [Test]
    public async Task Lower_is_better_signals_are_negated_for_ranking_but_reported_raw()
    {
        RerankResult[] results = await RunAsync(
            new HybridRerankerBuilder().AddFirstStageScore(configure: s => s.HigherIsBetter = false),
            HybridTestData.Documents(3, 0.1, 0.5, 0.9));

        // Distances [0.1, 0.5, 0.9] → negated [−0.1, −0.5, −0.9] → min-max [1, 0.5, 0]
        Assert.That(results.Select(r => r.Score), Is.EqualTo(new[] { 1, 0.5, 0 }).Within(Tolerance));
        Assert.That(results.Select(r => r.Component("first_stage").RawValue), Is.EqualTo(new[] { 0.1, 0.5, 0.9 }));
    }

    [Test]
    public async Task Weights_are_used_as_given_not_scaled_to_one()
    {
        RerankResult[] results = await RunAsync(
            new HybridRerankerBuilder().AddSignal("a", HybridTestData.Values(0, 1), 3).AddSignal("b", HybridTestData.Values(1, 0), 1),
            HybridTestData.Documents(2));

        // d0 = 3 · 0 + 1 · 1 = 1; d1 = 3 · 1 + 1 · 0 = 3
        Assert.That(results.Select(r => r.Score), Is.EqualTo(new[] { 1.0, 3.0 }).Within(Tolerance));
    }

    [Test]
    public async Task A_zero_weight_signal_is_explained_but_changes_nothing()
    {
        RerankResult[] results = await RunAsync(
            new HybridRerankerBuilder().AddSignal("a", HybridTestData.Values(0, 1)).AddSignal("shadow", HybridTestData.Values(100, 0), 0),
            HybridTestData.Documents(2));

        Assert.That(results.Select(r => r.Score), Is.EqualTo(new[] { 0.0, 1.0 }).Within(Tolerance));
        Assert.That(results[0].Component("shadow"), Is.EqualTo(new RerankScoreComponent("shadow", 100, 1, 0)).Using<RerankScoreComponent>(ComponentsEqual));
    }

    [Test]
    public async Task The_bm25_signal_carries_the_bm25_rerankers_scores_as_raw_values()
    {
        string[] texts = ["cat cat dog", "cat fish", "bird", "dog"];
        List<RerankDocument> documents = [.. texts.Select(t => new RerankDocument(t))];
        using var bm25 = new Bm25Reranker();
        RerankResult[] expected = (await bm25.RerankAsync("cat dog", documents)).ByIndex();

        using HybridReranker hybrid = new HybridRerankerBuilder().AddBm25().Build();
        RerankResult[] results = (await hybrid.RerankAsync("cat dog", documents)).ByIndex();

        Assert.That(results.Select(r => r.Component("bm25").RawValue), Is.EqualTo(expected.Select(r => r.Score)).Within(Tolerance));
        double max = expected.Max(r => r.Score);
        Assert.That(results.Select(r => r.Score), Is.EqualTo(expected.Select(r => r.Score / max)).Within(Tolerance), "min 0 (bird), so min-max is score / max");
    }

    [Test]
    public async Task Every_score_is_the_sum_of_its_components()
    {
        var random = new Random(11);
        double[] a = [.. Enumerable.Range(0, 40).Select(_ => (random.NextDouble() * 100) - 50)];
        double[] b = [.. Enumerable.Range(0, 40).Select(i => i % 7 == 0 ? double.NaN : random.NextDouble())];
        double?[] firstStage = [.. Enumerable.Range(0, 40).Select(i => i % 5 == 0 ? (double?)null : random.NextDouble())];
        using var inner = new TestReranker();
        var builder = new HybridRerankerBuilder()
            .AddFirstStageScore(0.2, ScoreNormalization.ZScore, s => s.MissingValues = HybridMissingValueBehavior.Renormalize)
            .AddSignal("a", HybridTestData.Values(a), 0.3, ScoreNormalization.Rank)
            .AddSignal("b", HybridTestData.Values(b), 0.1, ScoreNormalization.Sigmoid)
            .AddReranker(inner, 0.25)
            .AddBm25(0.15);

        RerankResult[] results = await RunAsync(builder, HybridTestData.Documents(40, firstStage));

        foreach (RerankResult result in results)
        {
            Assert.That(result.Score, Is.EqualTo(result.ScoreComponents!.Sum(c => c.Weight * c.NormalizedValue)).Within(Tolerance), $"document {result.Index}");
            Assert.That(result.ScoreComponents!.Sum(c => c.Weight), Is.EqualTo(1).Within(Tolerance), "renormalised weights keep the total");
        }
    }

    [Test]
    public async Task TopN_and_ScoreThreshold_apply_to_the_fused_score()
    {
        using HybridReranker reranker = new HybridRerankerBuilder().AddSignal("x", HybridTestData.Values(1, 4, 2, 3)).Build();
        List<RerankDocument> documents = HybridTestData.Documents(4);

        RerankResponse top = await reranker.RerankAsync("q", documents, new RerankOptions { TopN = 2 });
        RerankResponse above = await reranker.RerankAsync("q", documents, new RerankOptions { ScoreThreshold = 0.5 });

        // min-max of [1, 4, 2, 3] = [0, 1, 1/3, 2/3]
        Assert.That(top.Results.Select(r => r.Index), Is.EqualTo(new[] { 1, 3 }));
        Assert.That(above.Results.Select(r => r.Index), Is.EqualTo(new[] { 1, 3 }));
        Assert.That(top.Results.Select(r => r.ScoreComponents), Is.All.Not.Null);
    }

    private static bool ComponentsEqual(RerankScoreComponent a, RerankScoreComponent b) =>
        a.Name == b.Name && Close(a.RawValue, b.RawValue) && Close(a.NormalizedValue, b.NormalizedValue) && Close(a.Weight, b.Weight);

    private static bool Close(double a, double b) => a.Equals(b) || Math.Abs(a - b) <= Tolerance;
}
