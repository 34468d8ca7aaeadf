namespace Rerank;

/// <summary>What one <see cref="SelectiveRerankingPolicy"/> says about a call.</summary>
public enum SelectiveRerankingVerdict
{
    /// <summary>The policy has no opinion (its condition does not hold, or the first-stage scores it needs are missing).</summary>
    Abstain = 0,

    /// <summary>The first stage is decisive or reranking cannot change the outcome: skip the model, unless another policy says <see cref="Rerank"/>.</summary>
    Skip = 1,

    /// <summary>The call must be reranked (the first stage is ambiguous); this veto wins over every <see cref="Skip"/>.</summary>
    Rerank = 2,
}
