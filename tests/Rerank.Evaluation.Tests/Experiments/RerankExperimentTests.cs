using Microsoft.Extensions.Time.Testing;

namespace Rerank.Evaluation.Tests.Experiments;

public class RerankExperimentTests
{
    private TestFiles _files = null!;
    private ExperimentData _data = null!;

    [SetUp]
    public void SetUp()
    {
        _files = new TestFiles();
        _data = ExperimentData.FromBeir(new BeirDataset(_files.WriteTinyDataset()), "test", 6);
    }

    [TearDown]
    public void TearDown() => _files.Dispose();

    private ExperimentSystem Oracle(string name = "oracle") =>
        new(name, new FunctionReranker(name, (query, document) => QueryId(query) is string id && _data.Qrels.Queries[id].TryGetValue(document.Id!, out int grade) ? grade : -1));

    private string? QueryId(string text) => _data.Queries.First(pair => pair.Value == text).Key;

    private static ExperimentSystem Reverse() => new("reverse", new FunctionReranker("reverse", (_, document) => -document.Score!.Value));

    private static ExperimentOptions Options(TimeProvider? time = null) => new()
    {
        Metrics = Metric.ParseList("ndcg@3,mrr,p@1"),
        BootstrapSamples = 500,
        PermutationSamples = 500,
        TimeProvider = time ?? new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero)),
    };

    [Test]
    public async Task Every_system_reranks_the_same_first_stage_candidates_and_the_oracle_is_perfect()
    {
        ExperimentReport report = await RerankExperiment.RunAsync(_data, [Oracle(), Reverse()], Options());

        Assert.That(report.Systems.Select(system => system.Name), Is.EqualTo(new[] { "bm25 (first stage)", "oracle", "reverse" }));
        Assert.That(report.QueryIds, Is.EqualTo(new[] { "q1", "q2", "q3" }));
        SystemReport oracle = report.Systems[1];
        Assert.That(oracle.PerQuery["ndcg@3"], Is.All.EqualTo(1).Within(1e-12));
        Assert.That(oracle.Metrics["ndcg@3"].GainOverFirstStage!.Value.Mean, Is.GreaterThanOrEqualTo(0));
        Assert.That(oracle.Metrics["ndcg@3"].Wins + oracle.Metrics["ndcg@3"].Ties + oracle.Metrics["ndcg@3"].Losses, Is.EqualTo(3));
        Assert.That(oracle.Metrics["ndcg@3"].Losses, Is.Zero);
        Assert.That(report.Systems[2].Metrics["p@1"].Mean.Mean, Is.LessThan(report.Systems[0].Metrics["p@1"].Mean.Mean));
        Assert.That(oracle.Usage!.InputTokenCount, Is.EqualTo(report.Runs["oracle"].Queries.Values.Sum(list => list.Count)), "usage is summed over queries");

        // Every candidate of the first stage reaches every reranker: same document sets per query.
        foreach (string query in report.QueryIds)
        {
            Assert.That(report.Runs["oracle"].Queries[query].Select(e => e.DocumentId), Is.EquivalentTo(report.Runs["bm25 (first stage)"].Queries[query].Select(e => e.DocumentId)));
        }

        // 3 systems → 3 pairs per metric.
        Assert.That(report.Comparisons.Count(comparison => comparison.Metric == "ndcg@3"), Is.EqualTo(3));
    }

    [Test]
    public async Task The_reranked_run_evaluates_with_run_evaluator_to_the_reported_metrics()
    {
        ExperimentReport report = await RerankExperiment.RunAsync(_data, [Reverse()], Options());
        EvaluationResult again = RunEvaluator.Evaluate(_data.Qrels, report.Runs["reverse"], Metric.ParseList("ndcg@3,mrr,p@1"));
        Assert.That(report.Systems[1].Metrics["mrr"].Mean.Mean, Is.EqualTo(again.Mean["mrr"]).Within(1e-12));
    }

    [Test]
    public async Task A_fixed_seed_and_clock_give_identical_reports()
    {
        string first = JsonReport.Render(await RerankExperiment.RunAsync(_data, [Oracle(), Reverse()], Options()));
        string second = JsonReport.Render(await RerankExperiment.RunAsync(_data, [Oracle(), Reverse()], Options()));
        Assert.That(second, Is.EqualTo(first));
        string html = HtmlReport.Render(await RerankExperiment.RunAsync(_data, [Oracle()], Options()));
        Assert.That(HtmlReport.Render(await RerankExperiment.RunAsync(_data, [Oracle()], Options())), Is.EqualTo(html));
    }

    [Test]
    public async Task Latency_is_measured_per_call_with_the_given_clock()
    {
        var time = new FakeTimeProvider();
        var slow = new ExperimentSystem("slow", new FunctionReranker("slow", (_, _) => 0, _ => time.Advance(TimeSpan.FromMilliseconds(20))));
        ExperimentReport report = await RerankExperiment.RunAsync(_data, [slow], Options(time));

        LatencySummary latency = report.Systems[1].Latency!;
        Assert.That((latency.Calls, latency.P50Ms, latency.P99Ms, latency.TotalMs), Is.EqualTo((3, 20.0, 20.0, 60.0)));
        Assert.That(latency.QueriesPerSecond, Is.EqualTo(50).Within(1e-9));
        Assert.That(report.Systems[0].Latency, Is.Null, "the first stage is not timed");
    }

    [Test]
    public async Task Cancellation_stops_between_queries_and_reports_what_completed()
    {
        using var cancellation = new CancellationTokenSource();
        var stopper = new ExperimentSystem("stopper", new FunctionReranker("stopper", (_, _) => 0, call =>
        {
            if (call == 2)
            {
                cancellation.Cancel();
            }
        }));
        var progress = new List<ExperimentProgress>();
        ExperimentReport report = await RerankExperiment.RunAsync(_data, [stopper], Options(), new SyncProgress(progress.Add), cancellation.Token);

        Assert.That(report.Completed, Is.False);
        Assert.That(report.QueryIds, Is.EqualTo(new[] { "q1" }), "the query being reranked when cancelled is discarded for every system");
        Assert.That(report.PlannedQueries, Is.EqualTo(3));
        Assert.That(report.Warnings, Has.Some.Contains("Cancelled after 1 of 3"));
        Assert.That(progress.Select(p => p.CompletedQueries), Is.EqualTo(new[] { 1 }));
    }

    [Test]
    public void Cancellation_before_any_query_completes_throws()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        Assert.That(async () => await RerankExperiment.RunAsync(_data, [Reverse()], Options(), cancellationToken: cancellation.Token), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public void A_failing_or_nan_scoring_reranker_is_named_with_the_query()
    {
        var failing = new ExperimentSystem("broken", new FunctionReranker("broken", (_, _) => throw new InvalidDataException("model exploded")));
        Assert.That(async () => await RerankExperiment.RunAsync(_data, [failing], Options()), Throws.InvalidOperationException.With.Message.Contains("'broken' failed on query 'q1': model exploded"));

        var nan = new ExperimentSystem("nan", new FunctionReranker("nan", (_, _) => double.NaN));
        Assert.That(async () => await RerankExperiment.RunAsync(_data, [nan], Options()), Throws.InvalidOperationException.With.Message.Contains("score NaN"));
    }

    [Test]
    public async Task Too_few_randomisation_samples_for_the_number_of_comparisons_is_a_warning()
    {
        // Three queries are enumerated exactly (8 assignments), so no warning; many systems with sampling get one.
        ExperimentReport exact = await RerankExperiment.RunAsync(_data, [Oracle(), Reverse()], Options());
        Assert.That(exact.Warnings, Has.None.Contains("randomisation samples"));

        ExperimentOptions options = Options();
        options.PermutationSamples = 4;
        ExperimentReport sampled = await RerankExperiment.RunAsync(_data, [Oracle(), Reverse()], options);
        Assert.That(sampled.Warnings, Has.One.Contains("no Holm-corrected randomisation p-value can fall below 0.05"));
    }

    [Test]
    public void Duplicate_system_names_are_refused()
    {
        Assert.That(async () => await RerankExperiment.RunAsync(_data, [Reverse(), Reverse()], Options()), Throws.ArgumentException.With.Message.Contains("'reverse'"));
        Assert.That(async () => await RerankExperiment.RunAsync(_data, [Reverse()], new ExperimentOptions { TopK = 0 }), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public async Task Reports_render_every_system_and_the_significance_legend()
    {
        ExperimentReport report = await RerankExperiment.RunAsync(_data, [Oracle(), Reverse()], Options());
        foreach (string text in new[] { ConsoleReport.Render(report), MarkdownReport.Render(report), HtmlReport.Render(report), JsonReport.Render(report) })
        {
            Assert.That(text, Does.Contain("oracle").And.Contain("reverse").And.Contain("bm25 (first stage)"));
        }

        Assert.That(MarkdownReport.Render(report), Does.Contain("| System | ndcg@3 | mrr | p@1 |").And.Contain("Holm"));
        Assert.That(JsonReport.Render(report), Does.Contain("\"gain_over_first_stage\"").And.Contain("\"randomization_p_holm\""));
        Assert.That(HtmlReport.Render(report), Does.Not.Contain("http://").Or.Contain("http://www.w3.org/2000/svg"), "no external resource");
        Assert.That(HtmlReport.Render(report), Does.Not.Contain("<script src").And.Not.Contain("<link"));
    }

    private sealed class SyncProgress(Action<ExperimentProgress> report) : IProgress<ExperimentProgress>
    {
        public void Report(ExperimentProgress value) => report(value);
    }
}
