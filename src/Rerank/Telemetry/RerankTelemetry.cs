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
}
