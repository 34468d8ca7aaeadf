namespace Rerank;

/// <summary>
/// The one pipeline of a scoped or transient <c>AddReranker</c> registration: a singleton, so that the pipeline's inner reranker,
/// caches and coalescers are built once per container and serve every scope; each scope gets a non-owning handle to it.
/// </summary>
internal sealed class SharedPipeline(IReranker reranker) : IDisposable
{
    public IReranker Reranker { get; } = reranker;

    public void Dispose() => Reranker.Dispose();
}
