namespace Rerank;

/// <summary>
/// The innermost layer of a scoped or transient pipeline registered around one shared instance: it passes calls through
/// but does not dispose that instance when the scope disposes the pipeline, so the next scope still finds it alive.
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

    // The shared instance belongs to whoever registered it (or, as a singleton would, to the container's root), never to one scope.
    protected override void Dispose(bool disposing) => Interlocked.Exchange(ref _disposed, 1);
}
