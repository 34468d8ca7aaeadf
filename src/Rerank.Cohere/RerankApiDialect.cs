namespace Rerank;

/// <summary>The request and response format a <see cref="CohereReranker"/> speaks: Cohere's own, or that of a Cohere-compatible server.</summary>
/// <remarks>
/// The dialects differ in the path, the names of a few fields and where usage is reported; each is pinned by a test with its exact
/// JSON. See docs/providers/cohere.md for the table of paths, defaults and limits.
/// </remarks>
public enum RerankApiDialect
{
    /// <summary>Cohere Rerank v2: <c>POST /v2/rerank</c> with <c>top_n</c> and <c>max_tokens_per_doc</c>; usage in <c>meta.billed_units</c> and <c>meta.tokens</c>.</summary>
    Cohere = 0,

    /// <summary>Jina AI: <c>POST /v1/rerank</c> with <c>top_n</c> and <c>return_documents</c>; usage in <c>usage.total_tokens</c>.</summary>
    Jina,

    /// <summary>Voyage AI: <c>POST /v1/rerank</c> with <c>top_k</c>; results in <c>data[]</c>, usage in <c>usage.total_tokens</c>.</summary>
    Voyage,

    /// <summary>Hugging Face text-embeddings-inference: <c>POST /rerank</c> with <c>{query, texts, truncate, raw_scores}</c>, answering <c>[{index, score}]</c>.</summary>
    TextEmbeddingsInference,

    /// <summary>Infinity (michaelfeil/infinity): <c>POST /rerank</c> with <c>top_n</c>, <c>return_documents</c> and <c>raw_scores</c>; usage in <c>usage</c>.</summary>
    Infinity,

    /// <summary>vLLM's Cohere-compatible endpoint: <c>POST /v2/rerank</c> with <c>top_n</c>; usage in <c>usage</c> instead of <c>meta</c>.</summary>
    Vllm,
}
