namespace Rerank;

/// <summary>Where one named reranker stands, as the health check reports it.</summary>
internal enum RerankerReadiness
{
    NotLoaded,
    Loading,
    Ready,
    Failed,
}
