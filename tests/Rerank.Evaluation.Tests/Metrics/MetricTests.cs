namespace Rerank.Evaluation.Tests.Metrics;

public class MetricTests
{
    [TestCase("ndcg@10", MetricKind.Ndcg, 10, "ndcg@10")]
    [TestCase("ndcg_cut_10", MetricKind.Ndcg, 10, "ndcg@10")]
    [TestCase("ndcg_cut.5", MetricKind.Ndcg, 5, "ndcg@5")]
    [TestCase("NDCG", MetricKind.Ndcg, null, "ndcg")]
    [TestCase("mrr", MetricKind.ReciprocalRank, null, "mrr")]
    [TestCase("recip_rank", MetricKind.ReciprocalRank, null, "mrr")]
    [TestCase("mrr@10", MetricKind.ReciprocalRank, 10, "mrr@10")]
    [TestCase("map", MetricKind.AveragePrecision, null, "map")]
    [TestCase("map_cut_100", MetricKind.AveragePrecision, 100, "map@100")]
    [TestCase("recall_100", MetricKind.Recall, 100, "recall@100")]
    [TestCase("P_5", MetricKind.Precision, 5, "p@5")]
    [TestCase("p@5", MetricKind.Precision, 5, "p@5")]
    [TestCase("success_1", MetricKind.Hit, 1, "hit@1")]
    [TestCase(" hit@3 ", MetricKind.Hit, 3, "hit@3")]
    public void Parses_this_librarys_and_trec_evals_names(string text, MetricKind kind, int? cutoff, string name)
    {
        Metric metric = Metric.Parse(text);
        Assert.That((metric.Kind, metric.Cutoff, metric.Name), Is.EqualTo((kind, cutoff, name)));
    }

    [TestCase("ndcg@0", "at least 1")]
    [TestCase("ndcg@x", "whole number")]
    [TestCase("p", "needs a cut-off")]
    [TestCase("hit", "needs a cut-off")]
    [TestCase("bleu@4", "Unknown metric")]
    public void Refuses_malformed_names_with_a_message_saying_why(string text, string expected)
    {
        Assert.That(() => Metric.Parse(text), Throws.TypeOf<FormatException>().With.Message.Contains(expected));
    }

    [Test]
    public void A_list_keeps_order_and_drops_duplicates()
    {
        Assert.That(Metric.ParseList("map, ndcg@10,ndcg_cut_10").Select(metric => metric.Name), Is.EqualTo(new[] { "map", "ndcg@10" }));
        Assert.That(() => Metric.ParseList(" , "), Throws.TypeOf<FormatException>());
    }
}
