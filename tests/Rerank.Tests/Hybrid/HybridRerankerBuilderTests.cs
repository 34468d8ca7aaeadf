using Rerank.Testing;

namespace Rerank.Tests.Hybrid;

/// <summary>Configuration errors surface when the reranker is built, with messages that say what to do.</summary>
[TestFixture]
public sealed class HybridRerankerBuilderTests
{
    [Test]
    public void Building_without_signals_is_a_clear_error()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => new HybridRerankerBuilder().Build());

        Assert.That(ex!.Message, Does.Contain("at least one signal"));
    }

    [Test]
    public void Weights_summing_to_zero_are_a_clear_error()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => new HybridRerankerBuilder().AddBm25(0).AddFirstStageScore(0).Build());

        Assert.That(ex!.Message, Does.Contain("sum to zero").And.Contain("bm25 = 0").And.Contain("first_stage = 0"));
    }

    [TestCase(-0.5)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    [TestCase(double.NegativeInfinity)]
    public void Negative_and_non_finite_weights_are_rejected_when_added(double weight)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new HybridRerankerBuilder().AddBm25(weight));

        Assert.That(ex!.ParamName, Is.EqualTo("weight"));
        Assert.That(ex.Message, Does.Contain("at least 0"));
    }

    [Test]
    public void A_weight_set_in_configure_is_checked_at_Build()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => new HybridRerankerBuilder().AddBm25(configure: s => s.Weight = -1).Build());

        Assert.That(ex!.Message, Does.Contain("'bm25'"));
        Assert.That(ex.InnerException, Is.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void Weights_whose_sum_overflows_are_rejected()
    {
        Assert.Throws<InvalidOperationException>(() => new HybridRerankerBuilder().AddBm25(double.MaxValue).AddFirstStageScore(double.MaxValue).Build());
    }

    [Test]
    public void Invalid_timeouts_half_lives_and_enums_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new HybridRerankerBuilder().UseSignalTimeout(TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HybridRerankerBuilder().UseSignalTimeout(TimeSpan.FromSeconds(-1)));
        Assert.Throws<InvalidOperationException>(() => new HybridRerankerBuilder().AddBm25(configure: s => s.Timeout = TimeSpan.FromTicks(-5)).Build());
        Assert.Throws<ArgumentOutOfRangeException>(() => new HybridRerankerBuilder().AddRecency(TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HybridRerankerBuilder().AddBm25(1, (ScoreNormalization)99));
        Assert.Throws<InvalidOperationException>(() => new HybridRerankerBuilder().AddBm25(configure: s => s.FailureBehavior = (HybridSignalFailureBehavior)5).Build());
        Assert.Throws<ArgumentOutOfRangeException>(() => new HybridRerankerBuilder().OnSignalFailure((HybridSignalFailureBehavior)5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HybridRerankerBuilder().HandleMissingValues((HybridMissingValueBehavior)5));
    }

    [Test]
    public void Null_and_empty_arguments_are_rejected()
    {
        var builder = new HybridRerankerBuilder();

        Assert.Throws<ArgumentNullException>(() => builder.AddReranker(null!));
        Assert.Throws<ArgumentNullException>(() => builder.AddSignal("x", (Func<string, RerankDocument, double>)null!));
        Assert.Throws<ArgumentException>(() => builder.AddSignal(" ", (_, _) => 1));
        Assert.Throws<ArgumentNullException>(() => builder.AddSignal(null!, (_, _) => 1));
        Assert.Throws<ArgumentException>(() => builder.AddRecency(TimeSpan.FromDays(1), metadataKey: ""));
        Assert.Throws<ArgumentNullException>(() => builder.AddRecency(TimeSpan.FromDays(1), (Func<RerankDocument, DateTimeOffset?>)null!));
        Assert.Throws<ArgumentNullException>(() => builder.UseTimeProvider(null!));
    }

    [Test]
    public void Names_you_set_must_be_unique()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => new HybridRerankerBuilder().AddSignal("x", (_, _) => 1).AddBm25(configure: s => s.Name = "x").Build());

        Assert.That(ex!.Message, Does.Contain("'x'").And.Contain("unique"));
    }

    [Test]
    public void Default_names_repeat_with_a_suffix()
    {
        using var cross = new TestReranker();
        using HybridReranker reranker = new HybridRerankerBuilder()
            .AddBm25()
            .AddBm25(bm25Options: new Bm25Options { Analyzer = TextAnalyzer.English })
            .AddReranker(cross)
            .AddReranker(cross, configure: s => s.Name = "cross")
            .AddSignal("bm25-2", (_, _) => 1)
            .Build();

        Assert.That(reranker.SignalNames, Is.EqualTo(new[] { "bm25", "bm25-3", "test-lexical", "cross", "bm25-2" }));
    }

    [Test]
    public async Task Build_can_be_called_again_and_each_reranker_keeps_its_own_settings()
    {
        var builder = new HybridRerankerBuilder().AddSignal("x", HybridTestData.Values(1, 2, 3));
        using HybridReranker weighted = builder.Build();
        using HybridReranker rrf = builder.UseReciprocalRankFusion().Build();

        RerankResponse a = await weighted.RerankAsync("q", HybridTestData.Documents(3));
        RerankResponse b = await rrf.RerankAsync("q", HybridTestData.Documents(3));

        Assert.That(a.Results[0].Score, Is.EqualTo(1));
        Assert.That(b.Results[0].Score, Is.EqualTo(1.0 / 61));
    }

    [Test]
    public async Task The_reranker_fits_a_RerankerBuilder_pipeline()
    {
        using IReranker pipeline = new RerankerBuilder(new HybridRerankerBuilder().AddBm25().Build())
            .Use((query, documents, options, next, token) => next.RerankAsync(query, documents, options, token))
            .Build();

        RerankResponse response = await pipeline.RerankAsync("sunlight", ["bread", "sunlight and plants"]);

        Assert.That(response.Results[0].Index, Is.EqualTo(1));
        Assert.That(pipeline.GetService<HybridReranker>(), Is.Not.Null);
    }
}
