namespace Rerank;

/// <summary>Skips when every candidate is returned anyway and the order is not needed.</summary>
internal sealed class AllCandidatesFitPolicy() : SelectiveRerankingPolicy("all_candidates_fit")
{
    public override SelectiveRerankingVerdict Evaluate(SelectiveRerankingContext context) =>
        context.Options?.TopN is not int topN || context.Documents.Count <= topN ? SelectiveRerankingVerdict.Skip : SelectiveRerankingVerdict.Abstain;
}
