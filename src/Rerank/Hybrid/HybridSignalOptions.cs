namespace Rerank;

/// <summary>Settings of one signal of a <see cref="HybridReranker"/>; change them in the <c>configure</c> callback of a <see cref="HybridRerankerBuilder"/> <c>Add…</c> method.</summary>
/// <remarks>Values are checked by <see cref="HybridRerankerBuilder.Build"/>.</remarks>
public sealed class HybridSignalOptions
{
    /// <summary>Gets or sets the signal's name, as reported in <see cref="RerankScoreComponent.Name"/> and <see cref="HybridSignalException.SignalName"/>.</summary>
    /// <value>
    /// <see langword="null"/> uses the signal's default name: <c>first_stage</c>, <c>bm25</c>, <c>recency</c>, or for a
    /// reranker its <see cref="RerankerMetadata.DefaultModelId"/> (else <c>reranker</c>); default names that repeat get a
    /// suffix (<c>bm25-2</c>). Names you set must be unique.
    /// </value>
    public string? Name { get; set; }

    /// <summary>Gets or sets the signal's weight in the fusion.</summary>
    /// <value>Finite and at least 0. Weights are used as given, not scaled to sum to 1; with weights summing to 1 and normalised values in [0, 1], fused scores are in [0, 1].</value>
    public double Weight { get; set; } = 1;

    /// <summary>Gets or sets how the signal's values are normalised before weighted-sum fusion.</summary>
    /// <value>Set by the <c>Add…</c> method; see each method for its default.</value>
    public ScoreNormalization Normalization { get; set; } = ScoreNormalization.MinMax;

    /// <summary>Gets or sets a value indicating whether a higher raw value means more relevant.</summary>
    /// <value><see langword="true"/> by default; set <see langword="false"/> for distances, where lower is better (the values are negated before normalisation and ranking; components report them unchanged).</value>
    public bool HigherIsBetter { get; set; } = true;

    /// <summary>Gets or sets what happens when this signal fails or times out.</summary>
    /// <value><see langword="null"/> (the default) uses the reranker's setting, <see cref="HybridRerankerBuilder.OnSignalFailure"/>.</value>
    public HybridSignalFailureBehavior? FailureBehavior { get; set; }

    /// <summary>Gets or sets how long this signal may take in one call.</summary>
    /// <value>
    /// <see langword="null"/> (the default) uses the reranker's setting, <see cref="HybridRerankerBuilder.UseSignalTimeout"/>;
    /// <see cref="Timeout.InfiniteTimeSpan"/> means no limit; otherwise positive. Measured with the reranker's
    /// <see cref="TimeProvider"/>. A signal that ignores its cancellation token is abandoned when the time is up.
    /// </value>
    public TimeSpan? Timeout { get; set; }

    /// <summary>Gets or sets what happens to a document that has no value for this signal.</summary>
    /// <value><see langword="null"/> (the default) uses the reranker's setting, <see cref="HybridRerankerBuilder.HandleMissingValues"/>.</value>
    public HybridMissingValueBehavior? MissingValues { get; set; }
}
