using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Rerank.Tests.Middleware.OpenTelemetry;

namespace Rerank.Tests.Middleware.Selective;

[TestFixture]
public sealed class SelectiveRerankerTests
{
    private const string Query = "plants energy";

    private static List<RerankDocument> Scored(params double[] scores) =>
        [.. scores.Select((s, i) => new RerankDocument($"doc {i} plants") { Id = $"d{i}", Score = s })];

    private static IReranker Build(ProbeReranker probe, params SelectiveRerankingPolicy[] policies) =>
        new RerankerBuilder(probe).UseSelectiveReranking(policies).Build();

    [Test]
    public async Task A_top1_lead_above_the_margin_skips_the_model_and_returns_first_stage_order_and_scores()
    {
        var probe = new ProbeReranker();
        using IReranker reranker = Build(probe, SelectiveRerankingPolicy.TopScoreMargin(0.3));
        List<RerankDocument> documents = Scored(0.4, 0.9, 0.5);

        RerankResponse response = await reranker.RerankAsync(Query, documents, new RerankOptions { TopN = 2 });

        Assert.That(probe.BackendCalls, Is.Zero);
        Assert.That(response.Results.Select(r => r.Index), Is.EqualTo(new[] { 1, 2 }));
        Assert.That(response.Results.Select(r => r.Score), Is.EqualTo(new[] { 0.9, 0.5 }));
        Assert.That(response.Results[0].Document, Is.SameAs(documents[1]));
        Assert.That(response.ModelId, Is.EqualTo(SelectiveReranker.FirstStageModelId));
        Assert.That(response.AdditionalProperties, Is.SupersetOf(new Dictionary<string, object?>
        {
            [RerankResponseProperties.SelectiveSkipped] = true,
            [RerankResponseProperties.SelectiveScoreSource] = SelectiveScoreSources.FirstStage,
            [RerankResponseProperties.SelectiveDecidedBy] = "top1_margin(0.3)",
        }));
    }

    [Test]
    public async Task A_lead_below_the_margin_reranks_and_says_the_scores_are_the_rerankers()
    {
        var probe = new ProbeReranker();
        using IReranker reranker = Build(probe, SelectiveRerankingPolicy.TopScoreMargin(0.3));

        RerankResponse response = await reranker.RerankAsync(Query, Scored(0.7, 0.9, 0.5));

        Assert.That(probe.BackendCalls, Is.EqualTo(1));
        Assert.That(response.ModelId, Is.EqualTo("probe-model"));
        Assert.That(response.AdditionalProperties![RerankResponseProperties.SelectiveSkipped], Is.EqualTo(false));
        Assert.That(response.AdditionalProperties[RerankResponseProperties.SelectiveScoreSource], Is.EqualTo(SelectiveScoreSources.Reranker));
        Assert.That(response.AdditionalProperties[RerankResponseProperties.SelectiveDecidedBy], Is.EqualTo(SelectiveScoreSources.NoPolicyReason));
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task Ambiguity_among_the_top_k_vetoes_every_skip_whatever_the_policy_order(bool vetoFirst)
    {
        var probe = new ProbeReranker();
        SelectiveRerankingPolicy veto = SelectiveRerankingPolicy.RerankWhenAmbiguous(3, 0.05);
        SelectiveRerankingPolicy skip = SelectiveRerankingPolicy.AllCandidatesFitAndOrderNotNeeded();
        using IReranker reranker = Build(probe, vetoFirst ? [veto, skip] : [skip, veto]);

        RerankResponse close = await reranker.RerankAsync(Query, Scored(0.80, 0.81, 0.79));
        RerankResponse spread = await reranker.RerankAsync(Query, Scored(0.9, 0.5, 0.1));

        Assert.That(close.AdditionalProperties![RerankResponseProperties.SelectiveDecidedBy], Is.EqualTo("ambiguous_top3(std<0.05)"));
        Assert.That(close.AdditionalProperties[RerankResponseProperties.SelectiveSkipped], Is.EqualTo(false));
        Assert.That(spread.AdditionalProperties![RerankResponseProperties.SelectiveDecidedBy], Is.EqualTo("all_candidates_fit"));
        Assert.That(probe.BackendCalls, Is.EqualTo(1), "only the ambiguous call reached the model");
    }

    [Test]
    public async Task All_candidates_fit_skips_only_when_TopN_covers_every_candidate()
    {
        var probe = new ProbeReranker();
        using IReranker reranker = Build(probe, SelectiveRerankingPolicy.AllCandidatesFitAndOrderNotNeeded());

        RerankResponse fits = await reranker.RerankAsync(Query, Scored(0.1, 0.2, 0.3), new RerankOptions { TopN = 3 });
        RerankResponse cut = await reranker.RerankAsync(Query, Scored(0.1, 0.2, 0.3), new RerankOptions { TopN = 2 });

        Assert.That(fits.AdditionalProperties![RerankResponseProperties.SelectiveSkipped], Is.EqualTo(true));
        Assert.That(fits.Results.Select(r => r.Index), Is.EqualTo(new[] { 2, 1, 0 }), "still sorted, by first-stage score");
        Assert.That(cut.AdditionalProperties![RerankResponseProperties.SelectiveSkipped], Is.EqualTo(false));
        Assert.That(probe.BackendCalls, Is.EqualTo(1));
    }

    [Test]
    public async Task A_ScoreThreshold_is_on_the_rerankers_scale_so_the_call_is_always_reranked()
    {
        var probe = new ProbeReranker();
        using IReranker reranker = Build(probe, SelectiveRerankingPolicy.Custom("always", _ => SelectiveRerankingVerdict.Skip));

        RerankResponse response = await reranker.RerankAsync(Query, Scored(0.9, 0.1), new RerankOptions { ScoreThreshold = 0.5 });

        Assert.That(probe.BackendCalls, Is.EqualTo(1));
        Assert.That(response.AdditionalProperties![RerankResponseProperties.SelectiveDecidedBy], Is.EqualTo(SelectiveScoreSources.ScoreThresholdReason));
    }

    [TestCase(null)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    public async Task A_candidate_without_a_finite_first_stage_score_forces_a_rerank(double? missing)
    {
        var probe = new ProbeReranker();
        bool asked = false;
        using IReranker reranker = Build(probe, SelectiveRerankingPolicy.Custom("always", _ => { asked = true; return SelectiveRerankingVerdict.Skip; }));
        List<RerankDocument> documents = [.. Scored(0.9, 0.1), new RerankDocument("no score plants") { Score = missing }];

        RerankResponse response = await reranker.RerankAsync(Query, documents);

        Assert.That(probe.BackendCalls, Is.EqualTo(1));
        Assert.That(asked, Is.False, "no policy is asked when there is nothing honest to skip to");
        Assert.That(response.AdditionalProperties![RerankResponseProperties.SelectiveDecidedBy], Is.EqualTo(SelectiveScoreSources.MissingScoresReason));
    }

    [Test]
    public async Task A_custom_policy_sees_the_scores_sorted_and_the_options()
    {
        SelectiveRerankingContext? seen = null;
        var probe = new ProbeReranker();
        using IReranker reranker = Build(probe, SelectiveRerankingPolicy.Custom("mine", c => { seen = c; return SelectiveRerankingVerdict.Abstain; }));
        var options = new RerankOptions { TopN = 1 };

        await reranker.RerankAsync(Query, Scored(0.2, 0.7, 0.5), options);

        Assert.That(seen!.ScoresDescending, Is.EqualTo(new[] { 0.7, 0.5, 0.2 }));
        Assert.That(seen.Options, Is.SameAs(options));
        Assert.That(seen.Query, Is.EqualTo(Query));
        Assert.That(seen.Documents, Has.Count.EqualTo(3));
    }

    [Test]
    public void A_policy_that_throws_is_named_in_the_error()
    {
        using IReranker reranker = Build(new ProbeReranker(), SelectiveRerankingPolicy.Custom("broken", _ => throw new FormatException("bad")));

        var ex = Assert.ThrowsAsync<InvalidOperationException>(() => reranker.RerankAsync(Query, Scored(0.2, 0.7)));

        Assert.That(ex!.Message, Does.Contain("'broken'").And.Contain("bad"));
        Assert.That(ex.InnerException, Is.TypeOf<FormatException>());
    }

    [Test]
    public void Metadata_is_set_dependent_with_the_policies_and_the_inner_fingerprint_so_a_cache_above_is_refused()
    {
        var probe = new ProbeReranker();
        using IReranker reranker = Build(probe, SelectiveRerankingPolicy.TopScoreMargin(0.1));

        RerankerMetadata metadata = reranker.GetService<RerankerMetadata>()!;

        Assert.That(metadata.ScoreSemantics, Is.EqualTo(RerankScoreSemantics.CandidateSetDependent));
        Assert.That(metadata.ScoringFingerprint, Is.EqualTo("selective[top1_margin(0.1)]>probe(probe/probe-model)"));
        Assert.That(metadata.DefaultModelId, Is.EqualTo("probe-model"));
        var ex = Assert.Throws<InvalidOperationException>(() =>
            new RerankerBuilder(new ProbeReranker()).UseMemoryCache().UseSelectiveReranking(SelectiveRerankingPolicy.TopScoreMargin(0.1)).Build());
        Assert.That(ex!.Message, Does.Contain("UseMemoryCache"));
        Assert.DoesNotThrow(() => new RerankerBuilder(new ProbeReranker()).UseSelectiveReranking(SelectiveRerankingPolicy.TopScoreMargin(0.1)).UseMemoryCache().Build().Dispose(),
            "a cache below the selective layer, around the model, is fine");
    }

    [Test]
    public void Bad_policies_and_settings_are_rejected_with_clear_errors()
    {
        var builder = new RerankerBuilder(new ProbeReranker());

        Assert.That(Assert.Throws<ArgumentException>(() => builder.UseSelectiveReranking())!.Message, Does.Contain("at least one policy"));
        Assert.That(Assert.Throws<ArgumentException>(() => builder.UseSelectiveReranking(SelectiveRerankingPolicy.TopScoreMargin(1), null!))!.Message, Does.Contain("index 1"));
        Assert.Throws<ArgumentOutOfRangeException>(() => SelectiveRerankingPolicy.TopScoreMargin(-0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SelectiveRerankingPolicy.TopScoreMargin(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => SelectiveRerankingPolicy.RerankWhenAmbiguous(1, 0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SelectiveRerankingPolicy.RerankWhenAmbiguous(3, double.PositiveInfinity));
        Assert.Throws<ArgumentException>(() => SelectiveRerankingPolicy.Custom(" ", _ => SelectiveRerankingVerdict.Skip));
        Assert.Throws<ArgumentNullException>(() => SelectiveRerankingPolicy.Custom("x", null!));
    }

    [Test]
    public async Task The_OpenTelemetry_layer_counts_skipped_and_reranked_calls_and_splits_latency_by_outcome()
    {
        using var meters = new TestMeterFactory();
        using var calls = new MetricCollector<long>(meters, RerankTelemetry.SourceName, RerankTelemetry.SelectiveCallsMetric);
        using var durations = new MetricCollector<double>(meters, RerankTelemetry.SourceName, RerankTelemetry.OperationDurationMetric);
        using var top1 = new MetricCollector<long>(meters, RerankTelemetry.SourceName, RerankTelemetry.Top1ChangedMetric);
        using IReranker reranker = new RerankerBuilder(new ProbeReranker())
            .UseOpenTelemetry(meterFactory: meters)
            .UseSelectiveReranking(SelectiveRerankingPolicy.TopScoreMargin(0.3))
            .Build();

        await reranker.RerankAsync(Query, Scored(0.9, 0.1));
        await reranker.RerankAsync(Query, Scored(0.5, 0.4));

        IReadOnlyList<CollectedMeasurement<long>> counted = calls.GetMeasurementSnapshot();
        Assert.That(counted.Select(m => (m.Tags["rerank.selective.outcome"], m.Tags["rerank.selective.decided_by"])),
            Is.EqualTo(new (object?, object?)[] { ("skipped", "top1_margin(0.3)"), ("reranked", "no_policy_skipped") }));
        Assert.That(durations.GetMeasurementSnapshot().Select(m => m.Tags["rerank.selective.outcome"]), Is.EqualTo(new[] { "skipped", "reranked" }));
        Assert.That(top1.GetMeasurementSnapshot(), Has.Count.EqualTo(1), "a skipped call moved nothing and is not measured for movement");
    }
}
