namespace Rerank;

/// <summary>How a <see cref="HybridReranker"/> combines its signals.</summary>
internal enum HybridFusionMethod
{
    /// <summary>Σ weight · normalised value.</summary>
    WeightedSum,

    /// <summary>Σ weight / (k + rank).</summary>
    ReciprocalRankFusion,
}
