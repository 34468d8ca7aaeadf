namespace Rerank;

/// <summary>The values the selective layer writes under <see cref="RerankResponseProperties.SelectiveScoreSource"/> and <see cref="RerankResponseProperties.SelectiveDecidedBy"/>.</summary>
public static class SelectiveScoreSources
{
    /// <summary>The scores are the first stage's (<see cref="RerankDocument.Score"/>): the model was skipped.</summary>
    public const string FirstStage = "first_stage";

    /// <summary>The scores are the inner reranker's.</summary>
    public const string Reranker = "reranker";

    /// <summary>Decided by: the call had a ScoreThreshold, which is on the reranker's scale, so it was reranked.</summary>
    public const string ScoreThresholdReason = "score_threshold";

    /// <summary>Decided by: a candidate had no finite first-stage score, so there was nothing honest to skip to.</summary>
    public const string MissingScoresReason = "missing_first_stage_scores";

    /// <summary>Decided by: no policy said skip.</summary>
    public const string NoPolicyReason = "no_policy_skipped";
}
