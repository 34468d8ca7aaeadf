namespace Rerank;

/// <summary>
/// A rule that decides, from the first-stage scores of a call, whether the expensive reranker is worth calling. Combine
/// several in <c>UseSelectiveReranking</c>: any <see cref="SelectiveRerankingVerdict.Rerank"/> wins, else any
/// <see cref="SelectiveRerankingVerdict.Skip"/> skips, else the call is reranked.
/// </summary>
/// <remarks>
/// Policies are evaluated on every call, concurrently: they must be thread-safe and cheap (they run on the hot path
/// instead of a model call, and never do I/O). Margins and deviations are in the first stage's own units (cosine
/// similarity, BM25…), so tune them on your first stage's scores, e.g. with the policy sweep in docs/patterns.md.
/// </remarks>
public abstract class SelectiveRerankingPolicy
{
    /// <summary>Initializes a new instance of the <see cref="SelectiveRerankingPolicy"/> class.</summary>
    /// <param name="name">The name reported under <see cref="RerankResponseProperties.SelectiveDecidedBy"/> and in the metric; part of the fingerprint.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or white space.</exception>
    protected SelectiveRerankingPolicy(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <summary>Gets the policy's name, such as <c>top1_margin(0.1)</c>.</summary>
    public string Name { get; }

    /// <summary>Decides about one call.</summary>
    /// <param name="context">The call's candidates, first-stage scores and options.</param>
    /// <returns>The verdict.</returns>
    public abstract SelectiveRerankingVerdict Evaluate(SelectiveRerankingContext context);

    /// <summary>
    /// Skips the model when the call returns every candidate anyway (no more candidates than <see cref="RerankOptions.TopN"/>,
    /// or no TopN) and the consumer does not use the order, e.g. because every returned passage goes into one LLM prompt.
    /// </summary>
    /// <returns>The policy.</returns>
    /// <remarks>Use it only where order is truly not needed: the results still come sorted, by first-stage score.</remarks>
    public static SelectiveRerankingPolicy AllCandidatesFitAndOrderNotNeeded() => new AllCandidatesFitPolicy();

    /// <summary>Skips the model when the first stage's best candidate leads the second by at least <paramref name="margin"/>.</summary>
    /// <param name="margin">The lead, in first-stage score units; at least 0. A single candidate always leads.</param>
    /// <returns>The policy.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="margin"/> is negative, NaN or infinite.</exception>
    public static SelectiveRerankingPolicy TopScoreMargin(double margin)
    {
        if (!double.IsFinite(margin) || margin < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(margin), margin, "The margin must be a finite number of at least 0, in first-stage score units.");
        }

        return new TopScoreMarginPolicy(margin);
    }

    /// <summary>
    /// Forces reranking (a veto over every skip) when the first-stage scores of the best <paramref name="topK"/>
    /// candidates have a population standard deviation below <paramref name="maxStandardDeviation"/>: the first stage
    /// cannot tell them apart, which is where a reranker earns its cost.
    /// </summary>
    /// <param name="topK">How many of the best candidates to look at; at least 2.</param>
    /// <param name="maxStandardDeviation">The deviation under which the call counts as ambiguous; at least 0.</param>
    /// <returns>The policy.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="topK"/> is below 2, or <paramref name="maxStandardDeviation"/> is negative, NaN or infinite.</exception>
    public static SelectiveRerankingPolicy RerankWhenAmbiguous(int topK, double maxStandardDeviation)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(topK, 2);
        if (!double.IsFinite(maxStandardDeviation) || maxStandardDeviation < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxStandardDeviation), maxStandardDeviation, "The standard deviation must be a finite number of at least 0, in first-stage score units.");
        }

        return new AmbiguityPolicy(topK, maxStandardDeviation);
    }

    /// <summary>A policy of your own over the first-stage scores.</summary>
    /// <param name="name">The name reported in the response and the metric; part of the fingerprint, so change it when the rule changes.</param>
    /// <param name="predicate">Decides about one call; must be thread-safe and cheap.</param>
    /// <returns>The policy.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="predicate"/> is <see langword="null"/>.</exception>
    public static SelectiveRerankingPolicy Custom(string name, Func<SelectiveRerankingContext, SelectiveRerankingVerdict> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return new CustomPolicy(name, predicate);
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
