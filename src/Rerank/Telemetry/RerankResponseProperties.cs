namespace Rerank;

/// <summary>
/// The keys under which middleware reports facts about a call in <see cref="RerankResponse.AdditionalProperties"/>:
/// cache hits, which reranker of a fallback chain answered, chunked and truncated documents.
/// </summary>
/// <remarks>
/// Layers that build a new response from inner responses carry these entries outward (counts are summed when several
/// inner calls served one request), so the outermost layer, typically <c>UseOpenTelemetry</c>, sees them all.
/// </remarks>
public static class RerankResponseProperties
{
    /// <summary>The number of documents whose score came from the cache (<see cref="int"/>).</summary>
    public const string CacheHits = "rerank.cache.hits";

    /// <summary>The number of documents that were not in the cache and were scored by the inner reranker (<see cref="int"/>).</summary>
    public const string CacheMisses = "rerank.cache.misses";

    /// <summary>The name of the reranker of a fallback chain that answered (<see cref="string"/>).</summary>
    public const string FallbackAnsweredBy = "rerank.fallback.answered_by";

    /// <summary>The rerankers of a fallback chain that failed before one answered, with why (<see cref="IReadOnlyList{T}"/> of <see cref="RerankFallbackAttempt"/>).</summary>
    public const string FallbackAttempts = "rerank.fallback.attempts";

    /// <summary>The number of documents that a provider truncated to fit its model's window (<see cref="int"/>); providers may report it.</summary>
    public const string TruncatedDocuments = "rerank.truncated_documents";

    /// <summary>The number of documents split into chunks because they were longer than the window (<see cref="int"/>).</summary>
    public const string ChunkedDocuments = "rerank.long_documents.chunked";

    /// <summary>For each chunked document, keyed by its text, which chunk won (<see cref="IReadOnlyDictionary{TKey, TValue}"/> of <see cref="string"/> to <see cref="LongDocumentMatch"/>).</summary>
    public const string LongDocumentMatches = "rerank.long_documents.matches";

    /// <summary>The number of calls the batching layer made to the inner reranker for this request (<see cref="int"/>).</summary>
    public const string Batches = "rerank.batching.batches";

    /// <summary>The number of requests that shared the inner call which served this request, when requests were coalesced (<see cref="int"/>).</summary>
    public const string CoalescedRequests = "rerank.batching.coalesced_requests";

    /// <summary>The number of documents that were exact duplicates of an earlier document and were not scored again (<see cref="int"/>).</summary>
    public const string DuplicateDocuments = "rerank.deduplication.duplicates";
}
