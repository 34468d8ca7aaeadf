namespace Rerank;

/// <summary>A layer whose logic is a lambda, created by <see cref="RerankerBuilder.Use(Func{string, IEnumerable{RerankDocument}, RerankOptions?, IReranker, CancellationToken, Task{RerankResponse}})"/>.</summary>
internal sealed class AnonymousDelegatingReranker : DelegatingReranker
{
    private readonly Func<string, IEnumerable<RerankDocument>, RerankOptions?, IReranker, CancellationToken, Task<RerankResponse>> _rerankFunc;

    public AnonymousDelegatingReranker(
        IReranker innerReranker,
        Func<string, IEnumerable<RerankDocument>, RerankOptions?, IReranker, CancellationToken, Task<RerankResponse>> rerankFunc)
        : base(innerReranker)
    {
        _rerankFunc = rerankFunc;
    }

    public override Task<RerankResponse> RerankAsync(
        string query,
        IEnumerable<RerankDocument> documents,
        RerankOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return _rerankFunc(query, documents, options, InnerReranker, cancellationToken);
    }
}
