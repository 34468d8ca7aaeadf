namespace Rerank;

/// <summary>The names under which Rerank reports traces and metrics, for <c>AddSource</c> and <c>AddMeter</c> in OpenTelemetry.</summary>
/// <example>
/// <code>
/// builder.Services.AddOpenTelemetry()
///     .WithTracing(t => t.AddSource(RerankTelemetry.SourceName))
///     .WithMetrics(m => m.AddMeter(RerankTelemetry.SourceName));
/// </code>
/// </example>
public static class RerankTelemetry
{
    /// <summary>The name of the <see cref="System.Diagnostics.ActivitySource"/> and the <see cref="System.Diagnostics.Metrics.Meter"/>: <c>Rerank</c>.</summary>
    public const string SourceName = "Rerank";

    /// <summary>The operation name in spans and metrics (<c>gen_ai.operation.name</c>): <c>rerank</c>.</summary>
    public const string OperationName = "rerank";

    /// <summary>The histogram of call durations, in seconds (the OpenTelemetry GenAI convention's name).</summary>
    public const string OperationDurationMetric = "gen_ai.client.operation.duration";

    /// <summary>The histogram of input tokens per call, when the reranker reports usage.</summary>
    public const string TokenUsageMetric = "gen_ai.client.token.usage";

    /// <summary>The histogram of documents per call.</summary>
    public const string DocumentsMetric = "rerank.client.documents";

    /// <summary>The counter of documents whose score came from the cache.</summary>
    public const string CacheHitsMetric = "rerank.client.cache.hits";

    /// <summary>The counter of documents the cache did not hold.</summary>
    public const string CacheMissesMetric = "rerank.client.cache.misses";

    /// <summary>The counter of calls answered by a fallback rather than the primary reranker.</summary>
    public const string FallbacksMetric = "rerank.client.fallbacks";

    /// <summary>The counter of documents a provider truncated to fit its window.</summary>
    public const string TruncationsMetric = "rerank.client.truncations";

    /// <summary>The counter of documents split into chunks by the long-document layer.</summary>
    public const string ChunkedDocumentsMetric = "rerank.client.chunked_documents";

    /// <summary>
    /// The counter of calls through a selective-reranking layer, tagged <c>rerank.selective.outcome</c> (<c>skipped</c> or
    /// <c>reranked</c>) and <c>rerank.selective.decided_by</c> (the policy or reason): the share of model calls saved.
    /// </summary>
    public const string SelectiveCallsMetric = "rerank.client.selective.calls";

    /// <summary>
    /// The counter of reranked calls, tagged <c>rerank.reorder.top1_changed</c> (<see langword="true"/> when the
    /// reranker's best result is not the first stage's best): the share of calls in which reranking changed the answer.
    /// </summary>
    public const string Top1ChangedMetric = "rerank.client.reorder.top1_changed";

    /// <summary>
    /// The histogram of the share (0 to 1) of the reranked top k that was also in the first stage's top k, with k the
    /// smaller of the layer's monitored depth (10 by default) and the number of results: 1 means reranking only reordered.
    /// </summary>
    public const string TopKOverlapMetric = "rerank.client.reorder.top_k_overlap";

    /// <summary>
    /// The histogram of Kendall's tau (−1 to 1) between the first-stage order and the reranked order of the returned
    /// results: 1 means reranking kept the order, 0 that it is unrelated, −1 that it reversed it.
    /// </summary>
    public const string RankCorrelationMetric = "rerank.client.reorder.rank_correlation";

    /// <summary>The histogram of the best result's score, tagged with the response model (scores are on each model's own scale).</summary>
    public const string TopScoreMetric = "rerank.client.top_score";
}
