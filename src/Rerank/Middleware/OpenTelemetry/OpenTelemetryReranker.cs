using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Rerank;

/// <summary>
/// Reports each reranking call as an OpenTelemetry span and as metrics, following the GenAI semantic conventions where
/// they fit: an <see cref="ActivitySource"/> and a <see cref="Meter"/> named <see cref="RerankTelemetry.SourceName"/>.
/// </summary>
/// <remarks>
/// <para>
/// The span is named <c>rerank {model}</c> and carries <c>gen_ai.operation.name</c>, <c>gen_ai.provider.name</c>,
/// <c>gen_ai.request.model</c>, <c>gen_ai.response.model</c>, <c>gen_ai.usage.input_tokens</c>,
/// <c>server.address</c>/<c>server.port</c>, <c>rerank.request.document_count</c>, <c>rerank.request.top_n</c>,
/// <c>rerank.request.score_threshold</c>, <c>rerank.response.result_count</c>, what the layers below reported (cache hits
/// and misses, which fallback answered, truncated and chunked documents) and, on failure, <c>error.type</c> and an error
/// status. No query or document text is recorded.
/// </para>
/// <para>
/// Metrics: <c>gen_ai.client.operation.duration</c> (s), <c>gen_ai.client.token.usage</c>, <c>rerank.client.documents</c>,
/// <c>rerank.client.cache.hits</c>/<c>.misses</c>, <c>rerank.client.fallbacks</c>, <c>rerank.client.truncations</c> and
/// <c>rerank.client.chunked_documents</c>, <c>rerank.client.selective.calls</c>, and, to tell whether reranking earns its
/// latency, how far it moved the order: <c>rerank.client.reorder.top1_changed</c>, <c>rerank.client.reorder.top_k_overlap</c>,
/// <c>rerank.client.reorder.rank_correlation</c> (Kendall's tau) and <c>rerank.client.top_score</c>. The first-stage order
/// is the order of the documents' <see cref="RerankDocument.Score"/> when every document has one, else the input order.
/// Calls that a selective layer answered from the first stage are counted but not measured for movement or top score
/// (nothing was reranked, and their scores are on the first stage's scale). Put this layer outermost, so that it sees
/// what every other layer reports.
/// </para>
/// <para>
/// The duration histogram's explicit buckets are dense between 5 ms and 1 s, where reranking latencies fall, so that a
/// p95 read from them is off by less than a bucket's width (see docs/middleware/opentelemetry.md for an alert on it).
/// </para>
/// </remarks>
public sealed class OpenTelemetryReranker : DelegatingReranker
{
    private readonly ActivitySource _activitySource;
    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Histogram<double> _duration;
    private readonly Histogram<long> _tokenUsage;
    private readonly Histogram<int> _documents;
    private readonly Counter<long> _cacheHits;
    private readonly Counter<long> _cacheMisses;
    private readonly Counter<long> _fallbacks;
    private readonly Counter<long> _truncations;
    private readonly Counter<long> _chunked;
    private readonly Counter<long> _selectiveCalls;
    private readonly Counter<long> _top1Changed;
    private readonly Histogram<double> _topKOverlap;
    private readonly Histogram<double> _rankCorrelation;
    private readonly Histogram<double> _topScore;
    private readonly int _monitoredTopK;
    private readonly string? _providerName;
    private readonly string? _defaultModelId;
    private readonly string? _serverAddress;
    private readonly int? _serverPort;
    private readonly TimeProvider _timeProvider;

    /// <summary>Initializes a new instance of the <see cref="OpenTelemetryReranker"/> class.</summary>
    /// <param name="innerReranker">The reranker whose calls are reported.</param>
    /// <param name="sourceName">The name of the activity source and meter; <see cref="RerankTelemetry.SourceName"/> if <see langword="null"/>.</param>
    /// <param name="meterFactory">Creates the meter (as dependency injection does, so metrics are scoped to the container); a standalone meter if <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock that times each call for <c>gen_ai.client.operation.duration</c>; <see cref="TimeProvider.System"/> if <see langword="null"/>. The caller's; not disposed.</param>
    /// <param name="monitoredTopK">The depth k of <see cref="RerankTelemetry.TopKOverlapMetric"/>; at least 1, 10 by default.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerReranker"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="monitoredTopK"/> is less than 1.</exception>
    public OpenTelemetryReranker(
        IReranker innerReranker,
        string? sourceName = null,
        IMeterFactory? meterFactory = null,
        TimeProvider? timeProvider = null,
        int monitoredTopK = DefaultMonitoredTopK)
        : base(innerReranker)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(monitoredTopK, 1);
        _monitoredTopK = monitoredTopK;
        _timeProvider = timeProvider ?? TimeProvider.System;
        sourceName ??= RerankTelemetry.SourceName;
        string? version = typeof(OpenTelemetryReranker).Assembly.GetName().Version?.ToString();
        _activitySource = new ActivitySource(sourceName, version);
        // A factory's meters are shared and disposed by the factory; a meter of our own is disposed with this layer.
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(sourceName, version) ?? new Meter(sourceName, version);

        _duration = _meter.CreateHistogram(
            RerankTelemetry.OperationDurationMetric,
            "s",
            "Duration of reranking calls.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _tokenUsage = _meter.CreateHistogram<long>(RerankTelemetry.TokenUsageMetric, "{token}", "Input tokens used by reranking calls.");
        _documents = _meter.CreateHistogram<int>(RerankTelemetry.DocumentsMetric, "{document}", "Documents per reranking call.");
        _cacheHits = _meter.CreateCounter<long>(RerankTelemetry.CacheHitsMetric, "{document}", "Documents whose score came from the cache.");
        _cacheMisses = _meter.CreateCounter<long>(RerankTelemetry.CacheMissesMetric, "{document}", "Documents the cache did not hold.");
        _fallbacks = _meter.CreateCounter<long>(RerankTelemetry.FallbacksMetric, "{call}", "Calls answered by a fallback reranker.");
        _truncations = _meter.CreateCounter<long>(RerankTelemetry.TruncationsMetric, "{document}", "Documents truncated to fit the model's window.");
        _chunked = _meter.CreateCounter<long>(RerankTelemetry.ChunkedDocumentsMetric, "{document}", "Documents split into chunks.");
        _selectiveCalls = _meter.CreateCounter<long>(RerankTelemetry.SelectiveCallsMetric, "{call}", "Calls through a selective-reranking layer, skipped or reranked.");
        _top1Changed = _meter.CreateCounter<long>(RerankTelemetry.Top1ChangedMetric, "{call}", "Reranked calls, by whether the best result differs from the first stage's best.");
        _topKOverlap = _meter.CreateHistogram(
            RerankTelemetry.TopKOverlapMetric,
            "1",
            "Share of the reranked top k that was in the first stage's top k.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.999] });
        _rankCorrelation = _meter.CreateHistogram(
            RerankTelemetry.RankCorrelationMetric,
            "1",
            "Kendall's tau between the first-stage and the reranked order of the results.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [-0.8, -0.6, -0.4, -0.2, 0, 0.2, 0.4, 0.6, 0.8, 0.999] });
        _topScore = _meter.CreateHistogram(
            RerankTelemetry.TopScoreMetric,
            "1",
            "Score of the best result, on the response model's scale.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1] });

        RerankerMetadata? metadata = innerReranker.GetService<RerankerMetadata>();
        _providerName = metadata?.ProviderName;
        _defaultModelId = metadata?.DefaultModelId;
        if (metadata?.ProviderUri is { IsAbsoluteUri: true } uri && !uri.IsFile)
        {
            _serverAddress = uri.Host;
            _serverPort = uri.Port;
        }
    }

    /// <inheritdoc />
    public override async Task<RerankResponse> RerankAsync(
        string query,
        IEnumerable<RerankDocument> documents,
        RerankOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        bool measuring = _duration.Enabled || _documents.Enabled || _tokenUsage.Enabled || _cacheHits.Enabled || _cacheMisses.Enabled
            || _fallbacks.Enabled || _truncations.Enabled || _chunked.Enabled || _selectiveCalls.Enabled || _top1Changed.Enabled
            || _topKOverlap.Enabled || _rankCorrelation.Enabled || _topScore.Enabled;
        string? requestModel = options?.ModelId ?? _defaultModelId;
        using Activity? activity = _activitySource.HasListeners()
            ? _activitySource.StartActivity(requestModel is null ? RerankTelemetry.OperationName : $"{RerankTelemetry.OperationName} {requestModel}", ActivityKind.Client)
            : null;
        if (activity is null && !measuring)
        {
            return await InnerReranker.RerankAsync(query, documents, options, cancellationToken).ConfigureAwait(false);
        }

        // Argument checks are the inner reranker's; counting reads a lazy sequence once and passes the list on.
        documents = DocumentCount.Count(documents, out int documentCount)!;
        TagList tags = default;
        tags.Add("gen_ai.operation.name", RerankTelemetry.OperationName);
        AddIfNotNull(ref tags, "gen_ai.provider.name", _providerName);
        AddIfNotNull(ref tags, "gen_ai.request.model", requestModel);
        AddIfNotNull(ref tags, "server.address", _serverAddress);
        if (_serverPort is int port)
        {
            tags.Add("server.port", port);
        }

        if (activity is { IsAllDataRequested: true })
        {
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                activity.SetTag(tag.Key, tag.Value);
            }

            activity.SetTag("rerank.request.document_count", documentCount);
            activity.SetTag("rerank.request.top_n", options?.TopN);
            activity.SetTag("rerank.request.score_threshold", options?.ScoreThreshold);
        }

        long started = _timeProvider.GetTimestamp();
        RerankResponse? response = null;
        Exception? failure = null;
        try
        {
            response = await InnerReranker.RerankAsync(query, documents, options, cancellationToken).ConfigureAwait(false);
            return response;
        }
        catch (Exception ex)
        {
            failure = ex;
            throw;
        }
        finally
        {
            Record(activity, tags, documents, documentCount, _timeProvider.GetElapsedTime(started), response, failure);
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && !IsDisposed)
        {
            _activitySource.Dispose();
            if (_ownsMeter)
            {
                _meter.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    /// <summary>The default depth of <see cref="RerankTelemetry.TopKOverlapMetric"/>.</summary>
    public const int DefaultMonitoredTopK = 10;

    // Dense where reranking latencies fall (5 ms – 1 s), so that an interpolated p95 is within one narrow bucket.
    private static readonly double[] DurationBuckets =
        [0.001, 0.0025, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.04, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 30];

    private void RecordMovement(TagList tags, IEnumerable<RerankDocument> documents, int documentCount, IReadOnlyList<RerankResult> results)
    {
        if (!(_top1Changed.Enabled || _topKOverlap.Enabled || _rankCorrelation.Enabled || _topScore.Enabled))
        {
            return;
        }

        TagList scoreTags = tags;
        if (!double.IsNaN(results[0].Score))
        {
            _topScore.Record(results[0].Score, scoreTags);
        }

        int[]? firstStageRank = RankMovement.FirstStageRanks(documents, documentCount);
        if (firstStageRank is null || !RankMovement.IndicesFit(results, documentCount))
        {
            return;
        }

        TagList top1Tags = tags;
        top1Tags.Add("rerank.reorder.top1_changed", firstStageRank[results[0].Index] != 0);
        _top1Changed.Add(1, top1Tags);
        _topKOverlap.Record(RankMovement.TopKOverlap(firstStageRank, results, _monitoredTopK), tags);
        if (results.Count >= 2)
        {
            _rankCorrelation.Record(RankMovement.KendallTau(firstStageRank, results), tags);
        }
    }

    private static void AddIfNotNull(ref TagList tags, string key, string? value)
    {
        if (value is not null)
        {
            tags.Add(key, value);
        }
    }

    private void Record(Activity? activity, TagList tags, IEnumerable<RerankDocument> documents, int documentCount, TimeSpan elapsed, RerankResponse? response, Exception? failure)
    {
        if (failure is not null)
        {
            tags.Add("error.type", failure.GetType().FullName);
            activity?.SetTag("error.type", failure.GetType().FullName);
            activity?.SetStatus(ActivityStatusCode.Error, failure.Message);
            activity?.AddException(failure);
        }

        if (response is not null)
        {
            AddIfNotNull(ref tags, "gen_ai.response.model", response.ModelId);
        }

        IDictionary<string, object?>? facts = response?.AdditionalProperties;
        bool? skipped = facts is not null && facts.TryGetValue(RerankResponseProperties.SelectiveSkipped, out object? skip) ? skip as bool? : null;
        if (skipped is bool wasSkipped)
        {
            // Latency split by outcome shows what a skip saves.
            tags.Add("rerank.selective.outcome", wasSkipped ? "skipped" : "reranked");
        }

        _duration.Record(elapsed.TotalSeconds, tags);
        _documents.Record(documentCount, tags);
        if (response is null)
        {
            return;
        }

        if (skipped is not null)
        {
            TagList selectiveTags = tags;
            AddIfNotNull(ref selectiveTags, "rerank.selective.decided_by", facts![RerankResponseProperties.SelectiveDecidedBy] as string);
            _selectiveCalls.Add(1, selectiveTags);
        }

        if (skipped != true && response.Results.Count > 0)
        {
            RecordMovement(tags, documents, documentCount, response.Results);
        }

        int hits = ResponseProperties.GetCount(facts, RerankResponseProperties.CacheHits);
        int misses = ResponseProperties.GetCount(facts, RerankResponseProperties.CacheMisses);
        int truncated = ResponseProperties.GetCount(facts, RerankResponseProperties.TruncatedDocuments);
        int chunked = ResponseProperties.GetCount(facts, RerankResponseProperties.ChunkedDocuments);
        bool fellBack = facts is not null && facts.TryGetValue(RerankResponseProperties.FallbackAttempts, out object? attempts) && attempts is not null;
        string? answeredBy = facts is not null && facts.TryGetValue(RerankResponseProperties.FallbackAnsweredBy, out object? name) ? name as string : null;

        if (hits > 0 || misses > 0)
        {
            _cacheHits.Add(hits, tags);
            _cacheMisses.Add(misses, tags);
        }

        if (fellBack)
        {
            TagList fallbackTags = tags;
            AddIfNotNull(ref fallbackTags, "rerank.fallback.answered_by", answeredBy);
            _fallbacks.Add(1, fallbackTags);
        }

        if (truncated > 0)
        {
            _truncations.Add(truncated, tags);
        }

        if (chunked > 0)
        {
            _chunked.Add(chunked, tags);
        }

        if (response.Usage?.InputTokenCount is long inputTokens)
        {
            TagList tokenTags = tags;
            tokenTags.Add("gen_ai.token.type", "input");
            _tokenUsage.Record(inputTokens, tokenTags);
        }

        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("gen_ai.response.model", response.ModelId);
            activity.SetTag("gen_ai.response.id", response.ResponseId);
            activity.SetTag("gen_ai.usage.input_tokens", response.Usage?.InputTokenCount);
            activity.SetTag("rerank.response.result_count", response.Results.Count);
            if (hits > 0 || misses > 0)
            {
                activity.SetTag("rerank.cache.hits", hits);
                activity.SetTag("rerank.cache.misses", misses);
            }

            activity.SetTag("rerank.fallback.answered_by", answeredBy);
            activity.SetTag("rerank.truncated_documents", truncated > 0 ? truncated : null);
            activity.SetTag("rerank.chunked_documents", chunked > 0 ? chunked : null);
            activity.SetTag("rerank.selective.skipped", skipped);
        }
    }
}
