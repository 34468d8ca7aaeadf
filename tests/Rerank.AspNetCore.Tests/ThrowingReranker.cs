namespace Rerank.AspNetCore.Tests;

/// <summary>A reranker that fails with a message the client must never see.</summary>
internal sealed class ThrowingReranker : IReranker
{
    public const string Secret = "internal-detail-7c1e";

    public Task<RerankResponse> RerankAsync(string query, IEnumerable<RerankDocument> documents, RerankOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException(Secret);

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
