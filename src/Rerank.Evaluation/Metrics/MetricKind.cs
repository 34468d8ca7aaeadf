namespace Rerank.Evaluation;

/// <summary>The measures <see cref="Metric"/> computes, each with trec_eval's definition.</summary>
public enum MetricKind
{
    /// <summary>nDCG (trec_eval <c>ndcg_cut</c>, or <c>ndcg</c> without a cut-off): gain = grade, log2 discount, the ideal ranking from every judged grade of the query.</summary>
    Ndcg,

    /// <summary>Reciprocal rank of the first relevant document (trec_eval <c>recip_rank</c>); with a cut-off, 0 when it ranks below it.</summary>
    ReciprocalRank,

    /// <summary>Average precision (trec_eval <c>map</c>, or <c>map_cut</c> with a cut-off): precisions at the relevant ranks, divided by the number of relevant documents.</summary>
    AveragePrecision,

    /// <summary>Relevant documents in the top k over all relevant documents (trec_eval <c>recall</c>); without a cut-off, over the whole list.</summary>
    Recall,

    /// <summary>Relevant documents in the top k over k (trec_eval <c>P</c>), also when the list is shorter than k.</summary>
    Precision,

    /// <summary>1 when a relevant document is in the top k, else 0 (success@k).</summary>
    Hit,
}
