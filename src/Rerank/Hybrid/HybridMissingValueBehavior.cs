namespace Rerank;

/// <summary>
/// What a <see cref="HybridReranker"/> does when a document has no value for a signal: a document without a
/// first-stage <see cref="RerankDocument.Score"/>, without a readable timestamp, or with a NaN score from a reranker or
/// a custom signal (NaN always means "no value").
/// </summary>
public enum HybridMissingValueBehavior
{
    /// <summary>
    /// The document gets the signal's lowest normalised value among the documents that have one (for reciprocal rank
    /// fusion: the rank after the last of them), so it ties with the worst. When no document has a value the signal
    /// adds the same amount to every document (0 for weighted sum) and changes no ranking. The default.
    /// </summary>
    Minimum = 0,

    /// <summary>
    /// The signal is skipped for that document and the document's other weights are scaled up so that they sum to the
    /// same total: the document is judged on the signals it has. Its component reports a weight of 0. A document that
    /// would be left with no weight falls back to <see cref="Minimum"/>.
    /// </summary>
    Renormalize = 1,
}
