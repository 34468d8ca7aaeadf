using Rerank.Testing;

namespace Rerank.VectorData.Tests;

/// <summary>A reranker that records what it was given and scores with <see cref="TestReranker.Score"/>.</summary>
internal sealed class RecordingReranker : IReranker
{
    private readonly TestReranker _inner = new();

    public int CallCount { get; private set; }

    public IReadOnlyList<RerankDocument>? LastDocuments { get; private set; }

    public Task<RerankResponse> RerankAsync(string query, IEnumerable<RerankDocument> documents, RerankOptions? options = null, CancellationToken cancellationToken = default)
    {
        CallCount++;
        LastDocuments = [.. documents];
        return _inner.RerankAsync(query, LastDocuments, options, cancellationToken);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => _inner.GetService(serviceType, serviceKey);

    public void Dispose() => _inner.Dispose();
}
