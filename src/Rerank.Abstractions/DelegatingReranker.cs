namespace Rerank;

/// <summary>
/// A reranker that passes every call to an inner reranker: the base class for middleware such as caching,
/// timeouts and telemetry.
/// </summary>
/// <remarks>
/// Override <see cref="RerankAsync"/> to act around the inner call. <see cref="GetService"/> answers for this layer
/// and then asks inward, so a service anywhere in a pipeline can be reached from its outermost layer. Disposing a
/// delegating reranker disposes the inner one.
/// </remarks>
public abstract class DelegatingReranker : IReranker
{
    private int _disposed;

    /// <summary>Initializes a new instance of the <see cref="DelegatingReranker"/> class.</summary>
    /// <param name="innerReranker">The reranker calls are passed to.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerReranker"/> is <see langword="null"/>.</exception>
    protected DelegatingReranker(IReranker innerReranker)
    {
        ArgumentNullException.ThrowIfNull(innerReranker);
        InnerReranker = innerReranker;
    }

    /// <summary>Gets the reranker calls are passed to.</summary>
    protected IReranker InnerReranker { get; }

    /// <summary>Gets a value indicating whether this instance has been disposed.</summary>
    protected bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <inheritdoc />
    public virtual Task<RerankResponse> RerankAsync(
        string query,
        IEnumerable<RerankDocument> documents,
        RerankOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return InnerReranker.RerankAsync(query, documents, options, cancellationToken);
    }

    /// <inheritdoc />
    public virtual object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);

        // A keyed request is for an inner service; this layer answers only unkeyed requests for itself.
        return serviceKey is null && serviceType.IsInstanceOfType(this)
            ? this
            : InnerReranker.GetService(serviceType, serviceKey);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases resources; disposes the inner reranker when <paramref name="disposing"/> is <see langword="true"/>.</summary>
    /// <param name="disposing"><see langword="true"/> when called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            InnerReranker.Dispose();
        }
    }

    /// <summary>Throws <see cref="ObjectDisposedException"/> if this instance has been disposed.</summary>
    /// <exception cref="ObjectDisposedException">This instance has been disposed.</exception>
    protected void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(IsDisposed, this);
}
