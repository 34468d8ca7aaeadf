namespace Rerank;

/// <summary>
/// Re-scores a set of candidate documents against a query and returns them ordered from most to least relevant:
/// the second stage of two-stage retrieval.
/// </summary>
/// <remarks>
/// <para>
/// Every implementation keeps the same contract, so that providers and middleware can be swapped and stacked:
/// results are ordered by <see cref="RerankResult.Score"/> descending and equal scores keep their input order;
/// <see cref="RerankResult.Index"/> always points back into the caller's input; <see cref="RerankOptions.TopN"/>
/// and <see cref="RerankOptions.ScoreThreshold"/> are honoured; an empty input returns an empty response without
/// any model or network call; a null query throws <see cref="ArgumentNullException"/>; a null document throws
/// <see cref="ArgumentException"/> naming its index; cancellation is honoured promptly.
/// </para>
/// <para>
/// Implementations are thread-safe: one instance may be shared by any number of concurrent callers.
/// </para>
/// </remarks>
public interface IReranker : IDisposable
{
    /// <summary>Scores <paramref name="documents"/> against <paramref name="query"/> and returns them ordered by relevance.</summary>
    /// <param name="query">The query to rank against. Must not be null, empty or white space.</param>
    /// <param name="documents">The candidates, in first-stage order. The sequence is enumerated once.</param>
    /// <param name="options">Options for this call, or <see langword="null"/> for the reranker's defaults.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The ranked results, most relevant first.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> or <paramref name="documents"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="query"/> is empty or white space, or a document is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <see cref="RerankOptions.TopN"/> or <see cref="RerankOptions.MaxTokensPerDocument"/> is less than 1, or <see cref="RerankOptions.ScoreThreshold"/> is NaN.
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The reranker has been disposed.</exception>
    Task<RerankResponse> RerankAsync(
        string query,
        IEnumerable<RerankDocument> documents,
        RerankOptions? options = null,
        CancellationToken cancellationToken = default);

    /// <summary>Asks for an object of type <paramref name="serviceType"/> held by this reranker or, for middleware, by any inner layer.</summary>
    /// <param name="serviceType">The type of object requested.</param>
    /// <param name="serviceKey">An optional key that narrows the request.</param>
    /// <returns>The object, or <see langword="null"/> if none is available.</returns>
    /// <remarks>
    /// Use it to reach <see cref="RerankerMetadata"/> or a provider's underlying client (an ONNX Runtime session,
    /// an <c>HttpClient</c>) through a pipeline without casts.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="serviceType"/> is <see langword="null"/>.</exception>
    object? GetService(Type serviceType, object? serviceKey = null);
}
