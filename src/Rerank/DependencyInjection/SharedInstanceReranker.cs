namespace Rerank;

/// <summary>
/// A non-owning handle: it passes calls through to a reranker that someone else owns (an instance the caller registered, a
/// pipeline shared by every scope, another named pipeline used as a fallback) and, when disposed, refuses further calls but
/// leaves that reranker alive.
/// </summary>
internal sealed class SharedInstanceReranker(IReranker innerReranker) : DelegatingReranker(innerReranker)
{
    private int _disposed;

    public override Task<RerankResponse> RerankAsync(
        string query,
        IEnumerable<RerankDocument> documents,
        RerankOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return base.RerankAsync(query, documents, options, cancellationToken);
    }

    // The shared reranker belongs to its owner (the caller, the container's registry), never to whoever holds this handle.
    protected override void Dispose(bool disposing) => Interlocked.Exchange(ref _disposed, 1);
}
