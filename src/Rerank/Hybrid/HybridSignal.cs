namespace Rerank;

/// <summary>One source of evidence for a <see cref="HybridReranker"/>: gives each candidate a raw value, NaN for "no value".</summary>
internal abstract class HybridSignal
{
    /// <summary>Gets the name used when the caller gives none.</summary>
    public abstract string DefaultName { get; }

    /// <summary>Gets a value indicating whether the signal does I/O or model work worth starting before the cheap, synchronous signals run.</summary>
    public abstract bool IsAsynchronous { get; }

    /// <summary>Scores every document; returns exactly one value per document, in document order.</summary>
    /// <param name="query">The validated query.</param>
    /// <param name="documents">The validated documents.</param>
    /// <param name="options">The caller's options without TopN, ScoreThreshold and ModelId, for signals that call a reranker.</param>
    /// <param name="cancellationToken">Cancelled by the caller, by the signal's timeout, or when another signal fails the call.</param>
    public abstract ValueTask<SignalScores> ScoreAsync(string query, IReadOnlyList<RerankDocument> documents, RerankOptions? options, CancellationToken cancellationToken);

    /// <summary>Gets what the signal's raw values depend on.</summary>
    /// <remarks>
    /// <see cref="RerankScoreSemantics.CandidateSetDependent"/> unless a signal knows better: the first-stage score, metadata,
    /// the clock and the caller's code read more than the (query, text) pair a score cache keys on.
    /// </remarks>
    public virtual RerankScoreSemantics ScoreSemantics => RerankScoreSemantics.CandidateSetDependent;

    /// <summary>Gets every setting of the signal that changes its values, for the hybrid reranker's scoring fingerprint.</summary>
    public abstract string Fingerprint { get; }

    /// <summary>Answers <see cref="IReranker.GetService"/> for what the signal holds, such as an inner reranker's services.</summary>
    public virtual object? GetService(Type serviceType, object? serviceKey) => null;
}
