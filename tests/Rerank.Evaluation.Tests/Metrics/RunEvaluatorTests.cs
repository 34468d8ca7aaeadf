namespace Rerank.Evaluation.Tests.Metrics;

public class RunEvaluatorTests
{
    private static Qrels Judgements(params (string Query, string Document, int Grade)[] rows) =>
        new(rows.GroupBy(row => row.Query).Select(group =>
            KeyValuePair.Create(group.Key, (IReadOnlyDictionary<string, int>)group.ToDictionary(row => row.Document, row => row.Grade))));

    private static TrecRun Run(params (string Query, string Document, double Score)[] rows) =>
        new("test", rows.GroupBy(row => row.Query).Select(group =>
            KeyValuePair.Create(group.Key, (IReadOnlyList<RunEntry>)[.. group.Select(row => new RunEntry(row.Document, row.Score))])));

    private static double Value(string metric, Qrels qrels, TrecRun run, string query = "q", EvaluationOptions? options = null) =>
        RunEvaluator.Evaluate(qrels, run, [Metric.Parse(metric)], options).PerQuery[query][Metric.Parse(metric).Name];

    [Test]
    public void Ndcg_uses_grades_as_gains_breaks_ties_by_docid_descending_and_takes_the_ideal_from_every_judged_grade()
    {
        // b and a tie at 0.8: trec_eval ranks by docid descending, so b (grade 2) ranks before a (grade 3).
        // d (grade 1) is judged but not retrieved: it still counts in the ideal ranking. x is unjudged: gain 0.
        Qrels qrels = Judgements(("q", "a", 3), ("q", "b", 2), ("q", "c", 0), ("q", "d", 1));
        TrecRun run = Run(("q", "x", 0.9), ("q", "a", 0.8), ("q", "b", 0.8), ("q", "c", 0.1));

        double dcg = (2 / Math.Log2(3)) + (3 / Math.Log2(4));
        double ideal = 3 + (2 / Math.Log2(3)) + (1 / Math.Log2(4));
        Assert.That(Value("ndcg@10", qrels, run), Is.EqualTo(dcg / ideal).Within(1e-12));

        // At 2 only x and b count, against the ideal 3, 2.
        Assert.That(Value("ndcg@2", qrels, run), Is.EqualTo((2 / Math.Log2(3)) / (3 + (2 / Math.Log2(3)))).Within(1e-12));
        Assert.That(Value("ndcg", qrels, run), Is.EqualTo(dcg / ideal).Within(1e-12));
    }

    [Test]
    public void Equal_scores_rank_by_document_id_in_descending_strcmp_order_so_9_comes_before_10()
    {
        Qrels qrels = Judgements(("q", "10", 1));
        TrecRun run = Run(("q", "10", 1.0), ("q", "9", 1.0));

        Assert.That(run.GetRanking("q").Select(entry => entry.DocumentId), Is.EqualTo(new[] { "9", "10" }));
        Assert.That(Value("mrr", qrels, run), Is.EqualTo(0.5));
        Assert.That(Value("hit@1", qrels, run), Is.Zero);
        Assert.That(Value("hit@2", qrels, run), Is.EqualTo(1));
    }

    [Test]
    public void The_rank_column_and_input_order_are_ignored_only_scores_rank()
    {
        Qrels qrels = Judgements(("q", "a", 1));
        TrecRun listedFirst = Run(("q", "a", 0.1), ("q", "b", 0.9));
        Assert.That(Value("mrr", qrels, listedFirst), Is.EqualTo(0.5));
    }

    [Test]
    public void Average_precision_divides_by_every_relevant_judged_document_and_its_cutoff_keeps_that_divisor()
    {
        // Relevant: a, b, e (e never retrieved). Retrieved relevant at ranks 1 and 3.
        Qrels qrels = Judgements(("q", "a", 1), ("q", "b", 2), ("q", "c", 0), ("q", "e", 1));
        TrecRun run = Run(("q", "a", 3), ("q", "c", 2), ("q", "b", 1));

        Assert.That(Value("map", qrels, run), Is.EqualTo((1 + (2.0 / 3)) / 3).Within(1e-12));
        Assert.That(Value("map@2", qrels, run), Is.EqualTo(1.0 / 3).Within(1e-12));
    }

    [Test]
    public void Cutoffs_longer_than_the_list_divide_precision_by_k_and_recall_by_all_relevant()
    {
        Qrels qrels = Judgements(("q", "a", 1), ("q", "b", 1), ("q", "z", 1), ("q", "y", 1));
        TrecRun run = Run(("q", "a", 3), ("q", "c", 2), ("q", "b", 1));

        Assert.Multiple(() =>
        {
            Assert.That(Value("p@10", qrels, run), Is.EqualTo(0.2).Within(1e-12));
            Assert.That(Value("p@1", qrels, run), Is.EqualTo(1));
            Assert.That(Value("recall@100", qrels, run), Is.EqualTo(0.5).Within(1e-12));
            Assert.That(Value("recall@1", qrels, run), Is.EqualTo(0.25).Within(1e-12));
            Assert.That(Value("recall", qrels, run), Is.EqualTo(0.5).Within(1e-12));
            Assert.That(Value("mrr@10", qrels, run), Is.EqualTo(1));
        });
    }

    [Test]
    public void Mrr_at_k_is_zero_when_the_first_relevant_document_ranks_below_k()
    {
        Qrels qrels = Judgements(("q", "c", 1));
        TrecRun run = Run(("q", "a", 3), ("q", "b", 2), ("q", "c", 1));
        Assert.That(Value("mrr@2", qrels, run), Is.Zero);
        Assert.That(Value("mrr@3", qrels, run), Is.EqualTo(1.0 / 3).Within(1e-12));
    }

    [Test]
    public void A_query_with_no_relevant_document_scores_zero_on_every_metric_and_counts_in_the_mean()
    {
        Qrels qrels = Judgements(("q", "a", 0), ("q", "b", 0), ("r", "a", 1));
        TrecRun run = Run(("q", "a", 2), ("q", "b", 1), ("r", "a", 1));

        EvaluationResult result = RunEvaluator.Evaluate(qrels, run, Metric.ParseList("ndcg@10,mrr,map,recall@10,p@1,hit@1"));

        Assert.That(result.PerQuery["q"].Values, Is.All.Zero);
        Assert.That(result.PerQuery["r"].Values, Is.All.EqualTo(1));
        Assert.That(result.Mean.Values, Is.All.EqualTo(0.5));
        Assert.That(result.QueryCount, Is.EqualTo(2));
    }

    [Test]
    public void Unjudged_documents_are_non_relevant()
    {
        Qrels qrels = Judgements(("q", "a", 1));
        TrecRun run = Run(("q", "unjudged", 2), ("q", "a", 1));
        Assert.That(Value("p@1", qrels, run), Is.Zero);
        Assert.That(Value("ndcg@1", qrels, run), Is.Zero);
    }

    [Test]
    public void Relevance_level_changes_what_is_relevant_but_not_the_gains_of_ndcg()
    {
        Qrels qrels = Judgements(("q", "a", 1), ("q", "b", 2));
        TrecRun run = Run(("q", "a", 2), ("q", "b", 1));
        var level2 = new EvaluationOptions { RelevanceLevel = 2 };

        Assert.That(Value("mrr", qrels, run, options: level2), Is.EqualTo(0.5));
        Assert.That(Value("mrr", qrels, run), Is.EqualTo(1));
        Assert.That(Value("ndcg@10", qrels, run, options: level2), Is.EqualTo(Value("ndcg@10", qrels, run)));
    }

    [Test]
    public void By_default_means_are_over_queries_in_both_and_all_queries_counts_missing_runs_as_zero()
    {
        Qrels qrels = Judgements(("q", "a", 1), ("missing", "a", 1));
        TrecRun run = Run(("q", "a", 1), ("unjudged", "a", 1));

        EvaluationResult both = RunEvaluator.Evaluate(qrels, run, [Metric.Parse("p@1")]);
        EvaluationResult all = RunEvaluator.Evaluate(qrels, run, [Metric.Parse("p@1")], new EvaluationOptions { AllJudgedQueries = true });

        Assert.Multiple(() =>
        {
            Assert.That(both.QueryCount, Is.EqualTo(1));
            Assert.That(both.Mean["p@1"], Is.EqualTo(1));
            Assert.That(all.QueryCount, Is.EqualTo(2));
            Assert.That(all.Mean["p@1"], Is.EqualTo(0.5));
            Assert.That(all.PerQuery["missing"]["p@1"], Is.Zero);
            Assert.That(both.Warnings, Has.One.Contains("unjudged"), "a run query without judgements is reported, not dropped silently");
        });
    }

    [Test]
    public void A_run_sharing_no_query_with_the_judgements_is_an_error()
    {
        Qrels qrels = Judgements(("q", "a", 1));
        TrecRun run = Run(("other", "a", 1));
        Assert.That(() => RunEvaluator.Evaluate(qrels, run), Throws.TypeOf<EvaluationDataException>().With.Message.Contains("none in common"));
    }

    [Test]
    public void Duplicate_documents_in_a_run_built_in_code_are_refused()
    {
        Assert.That(() => Run(("q", "a", 1), ("q", "a", 2)), Throws.ArgumentException.With.Message.Contains("'a' twice"));
        Assert.That(
            () => RunEvaluator.EvaluateRanking(new Dictionary<string, int> { ["a"] = 1 }, [new RunEntry("a", 1), new RunEntry("a", 0)], [Metric.Parse("p@1")], 1, new double[1]),
            Throws.ArgumentException.With.Message.Contains("ranked twice"));
    }
}
