namespace Rerank;

/// <summary>
/// Keeps the first-stage ranking: the last resort of a fallback chain, which needs no model and cannot fail.
/// </summary>
/// <remarks>
/// When every document carries a first-stage <see cref="RerankDocument.Score"/>, that score is the result's score. When
/// any lacks one, the input order is the ranking and the score is the reciprocal rank, <c>1 / (1 + index)</c>. Either way
/// the order is the first stage's, and <see cref="RerankOptions.TopN"/> and <see cref="RerankOptions.ScoreThreshold"/>
/// apply as usual. Because the score comes from the position, two identical texts at different positions score
/// differently, unlike a model. Its metadata therefore declares <see cref="RerankScoreSemantics.CandidateSetDependent"/>:
/// the caching, batching, long-document and coalescing layers refuse it.
/// </remarks>
public sealed class FirstStageOrderReranker : IReranker
{
    // A score is a position in the call (or the first stage's score, which no score cache keys on).
    private static readonly RerankerMetadata Metadata = new("first-stage")
    {
        ScoreSemantics = RerankScoreSemantics.CandidateSetDependent,
        ScoringFingerprint = "first-stage-order",
    };
    private int _disposed;

    /// <inheritdoc />
    public Task<RerankResponse> RerankAsync(
        string query,
        IEnumerable<RerankDocument> documents,
        RerankOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        IReadOnlyList<RerankDocument> list = RerankContract.ValidateArguments(query, documents, options);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (list.Count == 0)
        {
            return Task.FromResult(new RerankResponse([]));
        }

        cancellationToken.ThrowIfCancellationRequested();
        bool allScored = true;
        for (int i = 0; i < list.Count && allScored; i++)
        {
            allScored = list[i].Score is not null;
        }

        var scores = new double[list.Count];
        for (int i = 0; i < scores.Length; i++)
        {
            scores[i] = allScored ? list[i].Score!.Value : 1.0 / (1 + i);
        }

        return Task.FromResult(new RerankResponse(RerankContract.Rank(list, scores, options)) { ModelId = "first-stage" });
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(RerankerMetadata) ? Metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <inheritdoc />
    public void Dispose() => Interlocked.Exchange(ref _disposed, 1);
}
