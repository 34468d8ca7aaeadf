namespace Rerank;

/// <summary>When the rerankers registered by <c>AddReranking</c> are built (models loaded, downloads done).</summary>
public enum RerankerLoading
{
    /// <summary>On first use: the first call (or resolution) of each reranker pays for loading it. The default.</summary>
    Lazy,

    /// <summary>When the host starts, without delaying it: the health check reports each reranker as loading until it is ready.</summary>
    Background,

    /// <summary>When the host starts, which waits for every reranker: a reranker that fails to load stops the host with an error naming it.</summary>
    Startup,
}
