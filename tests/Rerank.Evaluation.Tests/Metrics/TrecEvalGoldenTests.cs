using System.Globalization;

namespace Rerank.Evaluation.Tests.Metrics;

/// <summary>
/// Every metric against the real trec_eval's per-query output on a run full of ties, graded and unjudged documents,
/// queries without relevant documents and short lists (tools/trec-eval-golden/make_fixture.py made the files).
/// </summary>
public class TrecEvalGoldenTests
{
    private static readonly (string TrecName, string OurName)[] Measures =
    [
        ("ndcg_cut_5", "ndcg@5"), ("ndcg_cut_10", "ndcg@10"), ("ndcg_cut_100", "ndcg@100"), ("ndcg", "ndcg"),
        ("recip_rank", "mrr"), ("map", "map"), ("map_cut_5", "map@5"), ("map_cut_10", "map@10"),
        ("recall_5", "recall@5"), ("recall_100", "recall@100"), ("P_5", "p@5"), ("P_10", "p@10"),
        ("success_1", "hit@1"), ("success_5", "hit@5"),
    ];

    private static string Fixture(string name) => Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "trec-eval", name);

    [TestCase("default", "run.txt", false, 1)]
    [TestCase("all-queries", "run-missing.txt", true, 1)]
    [TestCase("level2", "run.txt", false, 2)]
    public void Every_metric_matches_trec_eval_per_query_and_on_average(string golden, string runFile, bool allQueries, int level)
    {
        Qrels qrels = TrecFormat.ReadQrels(Fixture("qrels.txt"));
        TrecRun run = TrecFormat.ReadRun(Fixture(runFile));
        EvaluationResult ours = RunEvaluator.Evaluate(qrels, run, [.. Measures.Select(measure => Metric.Parse(measure.OurName))], new EvaluationOptions { AllJudgedQueries = allQueries, RelevanceLevel = level });

        int compared = 0;
        foreach (string line in File.ReadLines(Fixture($"trec_eval-{golden}.txt")))
        {
            string[] fields = line.Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            (string trecName, string ourName) = Measures.Single(measure => measure.TrecName == fields[0]);
            double expected = double.Parse(fields[2], CultureInfo.InvariantCulture);
            double actual = fields[1] == "all" ? ours.Mean[ourName] : ours.PerQuery[fields[1]][ourName];

            // trec_eval prints four decimals.
            Assert.That(actual, Is.EqualTo(expected).Within(0.00005 + 1e-12), $"{trecName} of query {fields[1]}");
            compared++;
        }

        Assert.That(compared, Is.EqualTo(Measures.Length * (ours.QueryCount + 1)), "every query and the mean were compared");
    }
}
