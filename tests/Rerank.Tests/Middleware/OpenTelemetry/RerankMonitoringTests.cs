using System.Diagnostics.Metrics;

namespace Rerank.Tests.Middleware.OpenTelemetry;

/// <summary>The metrics that tell whether reranking earns its latency, each value written by the real layer and read with a <see cref="MeterListener"/>.</summary>
[TestFixture]
public sealed class RerankMonitoringTests
{
    private const string Query = "secret question";
    private TestMeterFactory _meters = null!;
    private MeasurementRecorder _recorder = null!;

    [SetUp]
    public void SetUp()
    {
        _meters = new TestMeterFactory();
        _recorder = new MeasurementRecorder(_meters);
    }

    [TearDown]
    public void TearDown()
    {
        _recorder.Dispose();
        _meters.Dispose();
    }

    // The probe scores each text by the number after "s="; the input order is the first stage's.
    private static ProbeReranker ScoredBy() => new() { Scorer = (_, text) => double.Parse(text.Split("s=")[1], System.Globalization.CultureInfo.InvariantCulture) };

    private IReranker Pipeline(IReranker inner, int monitoredTopK = 10) =>
        new RerankerBuilder(inner).UseOpenTelemetry(meterFactory: _meters, monitoredTopK: monitoredTopK).Build();

    private static string[] Texts(params double[] modelScores) => [.. modelScores.Select((s, i) => $"private text {i} s={s.ToString(System.Globalization.CultureInfo.InvariantCulture)}")];

    [Test]
    public async Task A_reranking_that_keeps_the_first_stage_order_reports_no_change_full_overlap_and_tau_one()
    {
        using IReranker reranker = Pipeline(ScoredBy());

        await reranker.RerankAsync(Query, Texts(0.9, 0.8, 0.7, 0.6));

        Assert.That(_recorder.Of(RerankTelemetry.Top1ChangedMetric).Single().Tags["rerank.reorder.top1_changed"], Is.EqualTo(false));
        Assert.That(_recorder.Of(RerankTelemetry.TopKOverlapMetric).Single().Value, Is.EqualTo(1.0));
        Assert.That(_recorder.Of(RerankTelemetry.RankCorrelationMetric).Single().Value, Is.EqualTo(1.0));
        Assert.That(_recorder.Of(RerankTelemetry.TopScoreMetric).Single().Value, Is.EqualTo(0.9));
    }

    [Test]
    public async Task A_reversed_order_reports_top1_changed_and_tau_minus_one()
    {
        using IReranker reranker = Pipeline(ScoredBy());

        await reranker.RerankAsync(Query, Texts(0.1, 0.2, 0.3, 0.4));

        Assert.That(_recorder.Of(RerankTelemetry.Top1ChangedMetric).Single().Tags["rerank.reorder.top1_changed"], Is.EqualTo(true));
        Assert.That(_recorder.Of(RerankTelemetry.RankCorrelationMetric).Single().Value, Is.EqualTo(-1.0));
        Assert.That(_recorder.Of(RerankTelemetry.TopScoreMetric).Single().Value, Is.EqualTo(0.4));
    }

    [Test]
    public async Task Overlap_is_the_share_of_the_reranked_top_k_that_was_in_the_first_stage_top_k()
    {
        using IReranker reranker = Pipeline(ScoredBy(), monitoredTopK: 2);

        // Reranked order: 3, 0, 1, 2. First-stage top 2: {0, 1}; reranked top 2: {3, 0}: one of two shared.
        await reranker.RerankAsync(Query, Texts(0.8, 0.5, 0.2, 0.9));

        Assert.That(_recorder.Of(RerankTelemetry.TopKOverlapMetric).Single().Value, Is.EqualTo(0.5));
        // Pairs in reranked order (3,0) (3,1) (3,2) discordant; (0,1) (0,2) (1,2) concordant: (3 - 3) / 6.
        Assert.That(_recorder.Of(RerankTelemetry.RankCorrelationMetric).Single().Value, Is.EqualTo(0.0));
    }

    [Test]
    public async Task The_first_stage_order_is_the_order_of_first_stage_scores_when_every_document_has_one()
    {
        using IReranker reranker = Pipeline(ScoredBy());
        string[] texts = Texts(0.1, 0.9);

        // The input lists the first stage's worse candidate first; its scores say which it ranked first.
        await reranker.RerankAsync(Query, [new RerankDocument(texts[0]) { Score = 0.2 }, new RerankDocument(texts[1]) { Score = 0.7 }]);

        Assert.That(_recorder.Of(RerankTelemetry.Top1ChangedMetric).Single().Tags["rerank.reorder.top1_changed"], Is.EqualTo(false));
        Assert.That(_recorder.Of(RerankTelemetry.RankCorrelationMetric).Single().Value, Is.EqualTo(1.0));
    }

    [Test]
    public async Task With_TopN_the_overlap_depth_is_the_number_of_results()
    {
        using IReranker reranker = Pipeline(ScoredBy());

        await reranker.RerankAsync(Query, Texts(0.1, 0.2, 0.9), new RerankOptions { TopN = 1 });

        Assert.That(_recorder.Of(RerankTelemetry.TopKOverlapMetric).Single().Value, Is.EqualTo(0.0), "the reranked best was third in the first stage");
        Assert.That(_recorder.Of(RerankTelemetry.RankCorrelationMetric), Is.Empty, "one result has no pairs to correlate");
    }

    [Test]
    public async Task No_result_and_a_failed_call_record_no_movement()
    {
        var failing = new ProbeReranker { OnCall = _ => throw new HttpRequestException("down") };
        using IReranker reranker = Pipeline(ScoredBy());
        using IReranker broken = Pipeline(failing);

        await reranker.RerankAsync(Query, Texts(0.1, 0.2), new RerankOptions { ScoreThreshold = 5 });
        Assert.ThrowsAsync<HttpRequestException>(() => broken.RerankAsync(Query, Texts(0.1, 0.2)));

        Assert.That(_recorder.Of(RerankTelemetry.Top1ChangedMetric), Is.Empty);
        Assert.That(_recorder.Of(RerankTelemetry.TopScoreMetric), Is.Empty);
        Assert.That(_recorder.Of(RerankTelemetry.OperationDurationMetric), Has.Count.EqualTo(2), "latency is recorded for both");
    }

    [Test]
    public async Task No_metric_tag_holds_query_or_document_text()
    {
        using IReranker reranker = Pipeline(ScoredBy());

        await reranker.RerankAsync(Query, Texts(0.1, 0.9, 0.5));

        Assert.That(_recorder.All, Is.Not.Empty);
        Assert.That(_recorder.All.SelectMany(m => m.Tags.Values).OfType<string>(), Has.None.Contains("secret").And.None.Contains("private"));
    }

    [Test]
    public async Task The_duration_histogram_has_dense_explicit_buckets_for_p95()
    {
        using IReranker reranker = Pipeline(ScoredBy());
        await reranker.RerankAsync(Query, Texts(0.1));

        var histogram = (Histogram<double>)_recorder.Instrument(RerankTelemetry.OperationDurationMetric);
        IReadOnlyList<double> buckets = histogram.Advice!.HistogramBucketBoundaries!;

        Assert.That(buckets, Is.Ordered.Ascending);
        Assert.That(buckets.Count(b => b >= 0.005 && b <= 1), Is.GreaterThanOrEqualTo(15), "dense where reranking latencies fall");
        for (int i = 1; i < buckets.Count; i++)
        {
            if (buckets[i] <= 1)
            {
                Assert.That(buckets[i] / buckets[i - 1], Is.LessThanOrEqualTo(2.5), $"a p95 between {buckets[i - 1]} and {buckets[i]} s is read too coarsely");
            }
        }
    }

    [Test]
    public void A_monitored_depth_below_one_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RerankerBuilder(new ProbeReranker()).UseOpenTelemetry(monitoredTopK: 0));
    }
}
