namespace Rerank;

/// <summary>One signal's contribution to a fused score, so that a hybrid ranking can explain itself.</summary>
/// <param name="Name">The signal's name, such as <c>bm25</c> or <c>recency</c>.</param>
/// <param name="RawValue">The signal's value before normalisation.</param>
/// <param name="NormalizedValue">The value after normalisation, as it entered the fusion.</param>
/// <param name="Weight">The weight the fusion gave the signal.</param>
public sealed record RerankScoreComponent(string Name, double RawValue, double NormalizedValue, double Weight);
