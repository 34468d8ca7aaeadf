namespace Rerank;

/// <summary>A signal's raw values for one call, one per document (NaN for none), and what producing them consumed.</summary>
internal readonly record struct SignalScores(double[] Values, RerankUsage? Usage = null);
