namespace Rerank;

/// <summary>
/// Gives the inner reranker a fixed time, measured on an injected <see cref="TimeProvider"/>; when it elapses the inner
/// call is cancelled and <see cref="RerankTimeoutException"/> is thrown.
/// </summary>
/// <remarks>
/// <para>
/// The caller's own cancellation is told apart and stays an <see cref="OperationCanceledException"/>. The layer returns
/// at the timeout even if the inner reranker ignores its cancellation token; such a call is left to finish in the
/// background and its outcome is discarded.
/// </para>
/// <para>
/// The inner call is started on the thread pool, so the timeout holds the same way whether the inner reranker is
/// asynchronous or does its work on the caller's thread (ONNX, BM25); an exception the inner reranker throws before it
/// returns a task is handled like any failure, and a cancellation caused by the timeout is always reported as
/// <see cref="RerankTimeoutException"/>. Disposing this layer disposes the inner reranker.
/// </para>
/// </remarks>
public sealed class TimeoutReranker : DelegatingReranker
{
    private readonly TimeProvider _timeProvider;

    /// <summary>Initializes a new instance of the <see cref="TimeoutReranker"/> class.</summary>
    /// <param name="innerReranker">The reranker to time.</param>
    /// <param name="timeout">The time each call is given: positive, or <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> for none.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> if <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerReranker"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is zero or negative (other than infinite).</exception>
    public TimeoutReranker(IReranker innerReranker, TimeSpan timeout, TimeProvider? timeProvider = null)
        : base(innerReranker)
    {
        ValidateTimeout(timeout);
        Timeout = timeout;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Gets the time each call is given.</summary>
    public TimeSpan Timeout { get; }

    /// <inheritdoc />
    /// <exception cref="RerankTimeoutException">The inner reranker did not answer within <see cref="Timeout"/>.</exception>
    public override async Task<RerankResponse> RerankAsync(
        string query,
        IEnumerable<RerankDocument> documents,
        RerankOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        // The documents are validated (and enumerated, once) by the inner reranker; the cheap checks come first here so
        // that bad arguments never start a timer.
        RerankContract.ValidateQuery(query);
        ArgumentNullException.ThrowIfNull(documents);
        RerankContract.ValidateOptions(options);
        ThrowIfDisposed();
        if (Timeout == System.Threading.Timeout.InfiniteTimeSpan)
        {
            return await InnerReranker.RerankAsync(query, documents, options, cancellationToken).ConfigureAwait(false);
        }

        using var timeoutSource = new CancellationTokenSource(Timeout, _timeProvider);
        using var linkedSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        // Started on the thread pool: an inner reranker that computes on this thread would otherwise run to the end
        // before the wait below could begin, and its own cancellation would escape as a plain OperationCanceledException.
        Task<RerankResponse> call = InnerCall.Start(InnerReranker, query, documents, options, linkedSource.Token);
        try
        {
            // WaitAsync returns at the timeout even when the inner reranker does not watch its token.
            return await call.WaitAsync(linkedSource.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (timeoutSource.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            InnerCall.Abandon(call);
            throw new RerankTimeoutException(Timeout, ex);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            InnerCall.Abandon(call);
            throw;
        }
    }

    /// <summary>Checks a timeout value.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is zero or negative (other than infinite).</exception>
    internal static void ValidateTimeout(TimeSpan timeout)
    {
        if (timeout <= TimeSpan.Zero && timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be positive, or Timeout.InfiniteTimeSpan for none.");
        }
    }
}
