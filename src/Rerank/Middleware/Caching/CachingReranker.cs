using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Rerank;

/// <summary>
/// A score cache: each (reranker, model, score-affecting options, query, document text) pair is scored once, so that
/// overlapping candidate lists reuse scores and only uncached documents reach the inner reranker.
/// </summary>
/// <remarks>
/// <para>
/// Keys are SHA-256 digests of a length-prefixed encoding of the inner reranker's
/// <see cref="RerankerMetadata.ScoringFingerprint"/> (or <see cref="CachingRerankerOptions.Identity"/>; without either,
/// its provider name, URI and default model, and a warning is logged once), the model (<see cref="RerankOptions.ModelId"/>, else the default),
/// <see cref="RerankOptions.MaxTokensPerDocument"/>, <see cref="RerankOptions.AdditionalProperties"/>, the query and the
/// document text. No raw text is ever part of a key. <see cref="RerankOptions.TopN"/> and
/// <see cref="RerankOptions.ScoreThreshold"/> are not part of the key: this layer asks the inner reranker for every
/// score and applies them itself. A call whose AdditionalProperties hold a value that is not a primitive, string or
/// enum bypasses the cache, because such a value cannot be told apart reliably.
/// </para>
/// <para>
/// Only scores are cached, so the inner reranker must declare <see cref="RerankScoreSemantics.Pointwise"/> scores
/// (cross-encoders, Cohere, pointwise LLM scoring, BM25 with corpus statistics). Over any other (BM25 over the
/// candidates, listwise LLM ranking, rank or min-max fusion, first-stage order, a fallback chain that ends in one) the
/// constructor, and so <c>Build()</c>, throws <see cref="InvalidOperationException"/> naming the reranker: a cached score
/// from one candidate set would be returned in another, where the reranker gives a different one.
/// </para>
/// <para>
/// Reads from a distributed or hybrid cache are bounded: at most <see cref="CachingRerankerOptions.MaxConcurrentRequests"/>
/// requests in flight per call, and after <see cref="CachingRerankerOptions.ReadTimeout"/> the entries not yet read are
/// scored by the inner reranker as misses (a slow cache costs model time, never an unbounded wait). Writes are bounded
/// alike by <see cref="CachingRerankerOptions.WriteTimeout"/>; an unwritten score is simply scored again next time.
/// </para>
/// <para>
/// Identical concurrent requests are computed once: while a document's score is being computed, other calls that need
/// the same key wait for it instead of asking the inner reranker again (in this process; instances sharing a distributed
/// cache see the score once it is written). If the computing call is cancelled by its caller, the waiting calls compute
/// the score themselves; if it fails, they fail with the same exception.
/// </para>
/// <para>
/// A failing cache (Redis down) never fails a call: the failure is logged, reads count as misses and writes are skipped.
/// Scores answered by a fallback reranker (the response reports <see cref="RerankResponseProperties.FallbackAttempts"/>)
/// are returned but not cached, so that the primary's scores are used again once it recovers.
/// </para>
/// </remarks>
public sealed partial class CachingReranker : DelegatingReranker
{
    private readonly ScoreStore _store;
    private readonly ScoreCacheKeyBuilder _keys;
    private readonly string? _defaultModelId;
    private readonly ConcurrentDictionary<ScoreCacheKey, PendingScore> _inFlight = new();
    private int _waitingCalls;

    /// <summary>Initializes a new instance of the <see cref="CachingReranker"/> class with a memory cache of its own, bounded by <see cref="CachingRerankerOptions.SizeLimit"/>.</summary>
    /// <param name="innerReranker">The reranker whose scores are cached.</param>
    /// <param name="options">The cache options, or <see langword="null"/> for the defaults.</param>
    /// <param name="logger">Where cache failures are logged, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerReranker"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="innerReranker"/> does not declare <see cref="RerankScoreSemantics.Pointwise"/> scores.</exception>
    public CachingReranker(IReranker innerReranker, CachingRerankerOptions? options = null, ILogger? logger = null)
        : this(innerReranker, options, logger, static (o, l) => new MemoryScoreStore(new MemoryCache(new MemoryCacheOptions { SizeLimit = o.SizeLimit }), ownsCache: true, o, l))
    {
    }

    /// <summary>Initializes a new instance of the <see cref="CachingReranker"/> class over an <see cref="IMemoryCache"/>.</summary>
    /// <param name="innerReranker">The reranker whose scores are cached.</param>
    /// <param name="cache">The memory cache; it is not disposed with this layer. Each score is an entry of size 1.</param>
    /// <param name="options">The cache options, or <see langword="null"/> for the defaults.</param>
    /// <param name="logger">Where cache failures are logged, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerReranker"/> or <paramref name="cache"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="innerReranker"/> does not declare <see cref="RerankScoreSemantics.Pointwise"/> scores.</exception>
    public CachingReranker(IReranker innerReranker, IMemoryCache cache, CachingRerankerOptions? options = null, ILogger? logger = null)
        : this(innerReranker, options, logger, Required(cache, static (c, o, l) => new MemoryScoreStore(c, ownsCache: false, o, l)))
    {
    }

    /// <summary>Initializes a new instance of the <see cref="CachingReranker"/> class over an <see cref="IDistributedCache"/>, such as Redis, shared by several service instances.</summary>
    /// <param name="innerReranker">The reranker whose scores are cached.</param>
    /// <param name="cache">The distributed cache. Scores are stored as 8-byte values under <see cref="CachingRerankerOptions.KeyPrefix"/> and a digest.</param>
    /// <param name="options">The cache options, or <see langword="null"/> for the defaults.</param>
    /// <param name="logger">Where cache failures are logged, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerReranker"/> or <paramref name="cache"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="innerReranker"/> does not declare <see cref="RerankScoreSemantics.Pointwise"/> scores.</exception>
    public CachingReranker(IReranker innerReranker, IDistributedCache cache, CachingRerankerOptions? options = null, ILogger? logger = null)
        : this(innerReranker, options, logger, Required(cache, static (c, o, l) => new DistributedScoreStore(c, o, l)))
    {
    }

    /// <summary>Initializes a new instance of the <see cref="CachingReranker"/> class over a <see cref="HybridCache"/>: a local tier in front of a shared distributed tier.</summary>
    /// <param name="innerReranker">The reranker whose scores are cached.</param>
    /// <param name="cache">The hybrid cache.</param>
    /// <param name="options">The cache options, or <see langword="null"/> for the defaults.</param>
    /// <param name="logger">Where cache failures are logged, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerReranker"/> or <paramref name="cache"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="innerReranker"/> does not declare <see cref="RerankScoreSemantics.Pointwise"/> scores.</exception>
    public CachingReranker(IReranker innerReranker, HybridCache cache, CachingRerankerOptions? options = null, ILogger? logger = null)
        : this(innerReranker, options, logger, Required(cache, static (c, o, l) => new HybridScoreStore(c, o, l)))
    {
    }

    private CachingReranker(IReranker innerReranker, CachingRerankerOptions? options, ILogger? logger, Func<CachingRerankerOptions, ILogger, ScoreStore> createStore)
        : base(innerReranker)
    {
        options ??= new CachingRerankerOptions();
        options.Validate();

        PointwiseRequirement.Check(
            innerReranker,
            "A score cache (UseCaching, UseMemoryCache, UseDistributedCache, UseHybridCache)",
            "stores one score per (query, document text) and returns it in later calls among other candidates",
            "put the cache below the layer that mixes candidates, around the pointwise reranker itself (a cross-encoder, Cohere, a pointwise LLM), or give BM25 corpus statistics (Bm25Options.CorpusStatistics) to make it pointwise");

        logger ??= NullLogger.Instance;
        _defaultModelId = innerReranker.GetService<RerankerMetadata>()?.DefaultModelId;

        // The reranker says what changes its scores (layers that change them, such as long-document pooling, answer with
        // their own combined fingerprint), so the cache needs no knowledge of any provider or layer.
        string identity = Fingerprints.Of(innerReranker, out bool declared);
        if (options.Identity is not null)
        {
            identity = options.Identity;
        }
        else if (!declared)
        {
            LogNoFingerprint(logger, FallbackReranker.NameOf(innerReranker), identity);
        }

        _keys = new ScoreCacheKeyBuilder(identity, _defaultModelId);
        _store = createStore(options, logger);
    }

    /// <summary>Gets the number of calls now waiting for scores that another call is computing; tests use it to order events without sleeping.</summary>
    internal int WaitingCalls => Volatile.Read(ref _waitingCalls);

    /// <inheritdoc />
    public override async Task<RerankResponse> RerankAsync(
        string query,
        IEnumerable<RerankDocument> documents,
        RerankOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        IReadOnlyList<RerankDocument> list = MiddlewareArguments.Validate(this, IsDisposed, query, documents, options, cancellationToken);
        if (list.Count == 0)
        {
            return new RerankResponse([]) { ModelId = options?.ModelId ?? _defaultModelId };
        }

        if (!_keys.TryCreatePrefix(query, options, out ScoreCacheKey prefix))
        {
            return await InnerReranker.RerankAsync(query, list, options, cancellationToken).ConfigureAwait(false);
        }

        var keys = new ScoreCacheKey[list.Count];
        ScoreCacheKeyBuilder.ForDocuments(prefix, list, keys);
        var scores = new double[list.Count];
        var found = new bool[list.Count];
        await _store.ReadAsync(keys, scores, found, cancellationToken).ConfigureAwait(false);

        int hits = 0;
        foreach (bool hit in found)
        {
            hits += hit ? 1 : 0;
        }

        RerankResponse? innerResponse = hits == list.Count
            ? null
            : await ScoreMissesAsync(query, list, options, keys, scores, found, cancellationToken).ConfigureAwait(false);

        RerankResponse response = ResponseProperties.From(RerankContract.Rank(list, scores, options), innerResponse);
        response.ModelId ??= options?.ModelId ?? _defaultModelId;
        ResponseProperties.AddCount(response, RerankResponseProperties.CacheHits, hits);
        ResponseProperties.AddCount(response, RerankResponseProperties.CacheMisses, list.Count - hits);
        return response;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && !IsDisposed)
        {
            _store.Dispose();
        }

        base.Dispose(disposing);
    }

    private static Func<CachingRerankerOptions, ILogger, ScoreStore> Required<TCache>(TCache cache, Func<TCache, CachingRerankerOptions, ILogger, ScoreStore> create)
        where TCache : class
    {
        ArgumentNullException.ThrowIfNull(cache);
        return (options, logger) => create(cache, options, logger);
    }

    private async Task<RerankResponse?> ScoreMissesAsync(
        string query,
        IReadOnlyList<RerankDocument> list,
        RerankOptions? options,
        ScoreCacheKey[] keys,
        double[] scores,
        bool[] found,
        CancellationToken cancellationToken)
    {
        // The first position of each missing key; duplicates within the call are filled from it at the end.
        var firstPosition = new Dictionary<ScoreCacheKey, int>();
        List<int> pending = [];
        for (int i = 0; i < list.Count; i++)
        {
            if (!found[i] && firstPosition.TryAdd(keys[i], i))
            {
                pending.Add(i);
            }
        }

        RerankResponse? innerResponse = null;
        while (pending.Count > 0)
        {
            var batch = new PendingBatch();
            List<int> owned = [];
            List<(int Position, PendingScore Pending)> joined = [];
            foreach (int position in pending)
            {
                // Claim the key, or join the call that already claimed it; retry if that call finished in between.
                while (true)
                {
                    if (_inFlight.TryAdd(keys[position], new PendingScore(batch, owned.Count)))
                    {
                        owned.Add(position);
                        break;
                    }

                    if (_inFlight.TryGetValue(keys[position], out PendingScore other))
                    {
                        joined.Add((position, other));
                        break;
                    }
                }
            }

            pending = [];
            if (owned.Count > 0)
            {
                RerankResponse response = await ComputeAsync(query, list, options, keys, scores, owned, batch, cancellationToken).ConfigureAwait(false);
                if (innerResponse is null)
                {
                    innerResponse = response;
                }
                else
                {
                    // A retry after a cancelled wait made a second inner call: sum into a response of our own.
                    RerankResponse total = ResponseProperties.From(innerResponse.Results, innerResponse);
                    total.Usage = ResponseProperties.AddUsage(ResponseProperties.AddUsage(null, innerResponse.Usage), response.Usage);
                    ResponseProperties.Merge(total, response.AdditionalProperties);
                    innerResponse = total;
                }
            }

            if (joined.Count > 0)
            {
                await AwaitJoinedAsync(joined, scores, pending, cancellationToken).ConfigureAwait(false);
            }
        }

        for (int i = 0; i < list.Count; i++)
        {
            if (!found[i])
            {
                scores[i] = scores[firstPosition[keys[i]]];
            }
        }

        return innerResponse;
    }

    private async Task AwaitJoinedAsync(List<(int Position, PendingScore Pending)> joined, double[] scores, List<int> retry, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _waitingCalls);
        try
        {
            foreach ((int position, PendingScore other) in joined)
            {
                try
                {
                    double[] computed = await other.Batch.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                    scores[position] = computed[other.Slot];
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // The call we waited for was cancelled by its own caller: compute the score ourselves.
                    retry.Add(position);
                }
            }
        }
        finally
        {
            Interlocked.Decrement(ref _waitingCalls);
        }
    }

    private async Task<RerankResponse> ComputeAsync(
        string query,
        IReadOnlyList<RerankDocument> list,
        RerankOptions? options,
        ScoreCacheKey[] keys,
        double[] scores,
        List<int> owned,
        PendingBatch batch,
        CancellationToken cancellationToken)
    {
        var documents = new RerankDocument[owned.Count];
        var ownedKeys = new ScoreCacheKey[owned.Count];
        for (int k = 0; k < owned.Count; k++)
        {
            documents[k] = list[owned[k]];
            ownedKeys[k] = keys[owned[k]];
        }

        var computed = new double[owned.Count];
        RerankResponse response;
        try
        {
            response = await InnerScoring.ScoreAsync(InnerReranker, query, documents, InnerScoring.ForAllScores(options), computed, 0, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            if (ex is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                batch.TrySetCanceled(cancellationToken);
            }
            else
            {
                batch.TrySetException(ex);
                _ = batch.Task.Exception; // observed here, so an unawaited failure is not reported as unobserved
            }

            Release(ownedKeys, batch);
            throw;
        }

        // Waiting calls get the scores before the (possibly remote) write; the key stays claimed until the write is done,
        // so that no call starts computing a score that is about to be readable.
        batch.TrySetResult(computed);
        for (int k = 0; k < owned.Count; k++)
        {
            scores[owned[k]] = computed[k];
        }

        try
        {
            // Scores from a fallback (the primary failed) answer this call but are not cached: once the primary is
            // back, its scores must be used again.
            if (response.AdditionalProperties?.ContainsKey(RerankResponseProperties.FallbackAttempts) != true)
            {
                await _store.WriteAsync(ownedKeys, computed, ownedKeys.Length, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            Release(ownedKeys, batch);
        }

        return response;
    }

    private void Release(ScoreCacheKey[] ownedKeys, PendingBatch batch)
    {
        for (int k = 0; k < ownedKeys.Length; k++)
        {
            _inFlight.TryRemove(new KeyValuePair<ScoreCacheKey, PendingScore>(ownedKeys[k], new PendingScore(batch, k)));
        }
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "The reranker {Reranker} declares no RerankerMetadata.ScoringFingerprint; its cached scores are keyed on its provider, URI and model ({Identity}) alone, so two differently configured instances would share them. Declare a fingerprint, or set CachingRerankerOptions.Identity.")]
    private static partial void LogNoFingerprint(ILogger logger, string reranker, string identity);

    /// <summary>The scores one call is computing; other calls that need one of them wait on it.</summary>
    private sealed class PendingBatch() : TaskCompletionSource<double[]>(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A claimed key: the batch computing it and the key's slot in that batch.</summary>
    private readonly record struct PendingScore(PendingBatch Batch, int Slot);
}
