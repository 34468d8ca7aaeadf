namespace Rerank;

/// <summary>
/// The check made by every layer that caches, splits, chunks or merges candidates: the reranker below must declare
/// <see cref="RerankScoreSemantics.Pointwise"/> scores, or the layer would return scores the reranker never gives.
/// </summary>
internal static class PointwiseRequirement
{
    /// <summary>Throws unless <paramref name="inner"/> declares pointwise scores.</summary>
    /// <param name="inner">The reranker below the layer.</param>
    /// <param name="layer">The layer, as the user wrote it (<c>UseCaching</c>).</param>
    /// <param name="action">What the layer does to candidates, completing "because it …".</param>
    /// <param name="remedy">How to compose the pipeline instead, for a set-dependent reranker.</param>
    /// <exception cref="InvalidOperationException"><paramref name="inner"/> is not declared pointwise.</exception>
    public static void Check(IReranker inner, string layer, string action, string remedy)
    {
        RerankerMetadata? metadata = inner.GetService<RerankerMetadata>();
        RerankScoreSemantics semantics = metadata?.ScoreSemantics ?? RerankScoreSemantics.Unspecified;
        if (semantics == RerankScoreSemantics.Pointwise)
        {
            return;
        }

        string name = FallbackReranker.NameOf(inner);
        string problem = semantics == RerankScoreSemantics.CandidateSetDependent
            ? $"its scores depend on the other candidates of a call (RerankScoreSemantics.CandidateSetDependent), so {remedy}"
            : $"it does not declare its score semantics ({(metadata is null ? "GetService(typeof(RerankerMetadata)) returns null" : $"RerankerMetadata.ScoreSemantics is {semantics}")}). If a document's score depends only on the query and that document, return RerankerMetadata with ScoreSemantics = RerankScoreSemantics.Pointwise and a ScoringFingerprint from its GetService; otherwise {remedy}";
        throw new InvalidOperationException(
            $"{layer} cannot be put over '{name}' ({inner.GetType().Name}): it {action}, which gives correct scores only for a pointwise reranker, and {problem}. See docs/score-semantics.md.");
    }
}
