namespace Rerank;

/// <summary>A signal with its settings resolved and checked by <see cref="HybridRerankerBuilder.Build"/>; immutable.</summary>
internal sealed record HybridSignalRegistration(
    HybridSignal Signal,
    string Name,
    double Weight,
    ScoreNormalization Normalization,
    bool HigherIsBetter,
    HybridSignalFailureBehavior FailureBehavior,
    TimeSpan? Timeout,
    HybridMissingValueBehavior MissingValues);
