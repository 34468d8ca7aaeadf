namespace Rerank;

/// <summary>The values of a configured reranker's <c>Cache</c> key.</summary>
internal enum CacheKind
{
    None,
    Memory,
    Distributed,
    Hybrid,
}
