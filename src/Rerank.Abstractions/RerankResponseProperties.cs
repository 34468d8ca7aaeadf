namespace Rerank;

/// <summary>
/// Every key under which a provider or a layer reports facts about a call in <see cref="RerankResponse.AdditionalProperties"/>:
/// one table, one naming scheme, <c>rerank.&lt;area&gt;.&lt;name&gt;</c> in lower case with <c>_</c> between words, as
/// OpenTelemetry attribute names are written.
/// </summary>
/// <remarks>
/// Layers that build a new response from inner responses carry these entries outward (counts are summed when several
/// inner calls served one request), so the outermost layer, typically <c>UseOpenTelemetry</c>, sees them all.
/// Provider authors: write the shared keys (<see cref="TruncatedDocuments"/>) so that telemetry and middleware read
/// them from every provider alike; put provider-specific facts under <c>rerank.&lt;provider&gt;.&lt;name&gt;</c>.
/// </remarks>
public static class RerankResponseProperties
{
    /// <summary>The number of documents whose score came from the cache (<see cref="int"/>).</summary>
    public const string CacheHits = "rerank.cache.hits";

    /// <summary>The number of documents that were not in the cache and were scored by the inner reranker (<see cref="int"/>).</summary>
    public const string CacheMisses = "rerank.cache.misses";

    /// <summary>The name of the reranker of a fallback chain that answered (<see cref="string"/>).</summary>
    public const string FallbackAnsweredBy = "rerank.fallback.answered_by";

    /// <summary>The rerankers of a fallback chain that failed before one answered, with why (an <c>IReadOnlyList&lt;RerankFallbackAttempt&gt;</c>).</summary>
    public const string FallbackAttempts = "rerank.fallback.attempts";

    /// <summary>
    /// The number of documents that a provider cut to fit its model's window or its length limit (<see cref="int"/>).
    /// Every provider that truncates writes it (the ONNX cross-encoder, the LLM reranker); the OpenTelemetry layer counts it.
    /// </summary>
    public const string TruncatedDocuments = "rerank.truncation.documents";

    /// <summary>For the ONNX cross-encoder, which documents were truncated and by how many tokens (an <c>IReadOnlyList&lt;CrossEncoderTruncation&gt;</c>).</summary>
    public const string OnnxTruncations = "rerank.onnx.truncations";

    /// <summary>For the late-interaction (ColBERT) reranker, which documents were truncated to its document length (an <c>IReadOnlyList&lt;LateInteractionTruncation&gt;</c>).</summary>
    public const string LateInteractionTruncations = "rerank.late_interaction.truncations";

    /// <summary>For the late-interaction reranker, how many tokens of the query were cut to fit its query length (<see cref="int"/>; −1 when the query was too long to count).</summary>
    public const string LateInteractionQueryTokensDropped = "rerank.late_interaction.query_tokens_dropped";

    /// <summary>For the embedding reranker, the number of documents whose embedding came from its document-embedding cache (<see cref="int"/>).</summary>
    public const string EmbeddingCacheHits = "rerank.embedding.cache_hits";

    /// <summary>For the embedding reranker, the number of documents that were embedded by the generator in this call (<see cref="int"/>).</summary>
    public const string EmbeddingCacheMisses = "rerank.embedding.cache_misses";

    /// <summary>The number of documents split into chunks because they were longer than the window (<see cref="int"/>).</summary>
    public const string ChunkedDocuments = "rerank.long_documents.chunked";

    /// <summary>
    /// The number of documents the long-document layer cut at <c>LongDocumentRerankerOptions.MaxChunksPerDocument</c>
    /// chunks, whose text after those chunks was not scored (<see cref="int"/>). They are counted under
    /// <see cref="TruncatedDocuments"/> too.
    /// </summary>
    public const string LongDocumentsCutDocuments = "rerank.long_documents.cut";

    /// <summary>For each chunked document, keyed by its text, which chunk won (an <c>IReadOnlyDictionary&lt;string, LongDocumentMatch&gt;</c>).</summary>
    public const string LongDocumentMatches = "rerank.long_documents.matches";

    /// <summary>The number of calls the batching layer made to the inner reranker for this request (<see cref="int"/>).</summary>
    public const string Batches = "rerank.batching.batches";

    /// <summary>The number of requests that shared the inner call which served this request, when requests were coalesced (<see cref="int"/>).</summary>
    public const string CoalescedRequests = "rerank.batching.coalesced_requests";

    /// <summary>The number of documents that were exact duplicates of an earlier document and were not scored again (<see cref="int"/>).</summary>
    public const string DuplicateDocuments = "rerank.deduplication.duplicates";

    /// <summary>
    /// The hybrid signals left out of the call under <c>HybridSignalFailureBehavior.DropSignal</c>: an
    /// <c>IReadOnlyList&lt;HybridSignalException&gt;</c>, each naming the signal, saying whether it timed out and holding
    /// the original error. Absent when no signal was dropped.
    /// </summary>
    public const string HybridDroppedSignals = "rerank.hybrid.dropped_signals";

    /// <summary>
    /// Whether the selective-reranking layer skipped the model (<see cref="bool"/>): <see langword="true"/> means the
    /// results carry first-stage scores, not the reranker's. Written on every non-empty response of that layer.
    /// </summary>
    public const string SelectiveSkipped = "rerank.selective.skipped";

    /// <summary>Whose scale the scores of a selective layer's response are on: <c>first_stage</c> or <c>reranker</c> (<see cref="string"/>).</summary>
    public const string SelectiveScoreSource = "rerank.selective.score_source";

    /// <summary>
    /// The name of the selective-reranking policy that decided the call, or why no policy could (<c>score_threshold</c>,
    /// <c>missing_first_stage_scores</c>, <c>no_policy_skipped</c>) (<see cref="string"/>).
    /// </summary>
    public const string SelectiveDecidedBy = "rerank.selective.decided_by";

    /// <summary>The queries query expansion searched: the user's first, then the variants kept (an <c>IReadOnlyList&lt;string&gt;</c>).</summary>
    public const string ExpansionQueries = "rerank.expansion.queries";

    /// <summary>The generated variants query expansion dropped: empty, repeated, over-long, garbage or beyond the maximum (<see cref="int"/>).</summary>
    public const string ExpansionDroppedVariants = "rerank.expansion.dropped_variants";

    /// <summary>The candidates of query expansion after the union and the cap, best fused first, into which <see cref="RerankResult.Index"/> points (an <c>IReadOnlyList&lt;RerankDocument&gt;</c>).</summary>
    public const string ExpansionCandidates = "rerank.expansion.candidates";

    /// <summary>The searches (and a failed generation) of query expansion that failed while the rest still counted (an <c>IReadOnlyList&lt;QueryExpansionFailure&gt;</c>; empty when none).</summary>
    public const string ExpansionFailures = "rerank.expansion.failures";

    /// <summary>Each hop of multi-hop reranking, in order: its query, its weight and why the hops stopped (an <c>IReadOnlyList&lt;MultiHopStep&gt;</c>).</summary>
    public const string MultiHopSteps = "rerank.multi_hop.steps";

    /// <summary>Why multi-hop reranking made fewer hops than its maximum: <c>repeated_query</c>, <c>empty_follow_up</c> or <c>follow_up_failed: …</c> (<see cref="string"/>); absent when it made them all.</summary>
    public const string MultiHopStopReason = "rerank.multi_hop.stop_reason";

    /// <summary>The LLM reranker's mode (<c>LlmRerankMode</c>).</summary>
    public const string LlmMode = "rerank.llm.mode";

    /// <summary>The number of chat calls the LLM reranker made, retries included (<see cref="int"/>).</summary>
    public const string LlmChatCalls = "rerank.llm.chat_calls";

    /// <summary>The repairs made to the model's output (an <c>IReadOnlyList&lt;LlmOutputRepair&gt;</c>); empty when the model followed the format.</summary>
    public const string LlmRepairs = "rerank.llm.repairs";

    /// <summary>The number of distinct document texts sent to the model (<see cref="int"/>); identical texts are sent once and share a score.</summary>
    public const string LlmDistinctDocuments = "rerank.llm.distinct_documents";

    /// <summary>The number of HTTP requests an HTTP provider made to serve the call, after splitting (<see cref="int"/>).</summary>
    public const string HttpRequestCount = "rerank.http.request_count";

    /// <summary>The server's response ids, one per HTTP request, when the server sent them (an <c>IReadOnlyList&lt;string&gt;</c>).</summary>
    public const string HttpResponseIds = "rerank.http.response_ids";

    /// <summary>The warnings the server sent (<c>meta.warnings</c>), distinct, redacted of anything that looks like a credential (a <c>string[]</c>).</summary>
    public const string HttpWarnings = "rerank.http.warnings";

    /// <summary>The API version the server reported (<c>meta.api_version.version</c>) (<see cref="string"/>).</summary>
    public const string HttpApiVersion = "rerank.http.api_version";
}
