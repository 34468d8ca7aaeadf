using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Rerank;

/// <summary>
/// Answers with the next reranker of a chain when one fails: for example Cohere, then a local ONNX cross-encoder, then
/// BM25, then the first-stage order (<see cref="FirstStageOrderReranker"/>).
/// </summary>
/// <remarks>
/// <para>
/// The response says which reranker answered (<see cref="RerankResponseProperties.FallbackAnsweredBy"/>) and why the
/// ones before it did not (<see cref="RerankResponseProperties.FallbackAttempts"/>); each failure is logged as a
/// warning. When the last reranker fails too, its exception propagates.
/// </para>
/// <para>
/// Arguments are checked before any reranker is called, so a bad call never reaches a fallback. The caller's
/// cancellation is never handled. The layer owns the primary and the fallbacks it is given (docs/ownership.md):
/// disposing it disposes each of them once; only the chain returned by the factory overload of <c>UseFallback</c>,
/// whose rerankers usually come from the service provider, is left to its owner.
/// </para>
/// <para>
/// Any member may answer a call, so layers above the chain see the chain's semantics: a cache over
/// <c>UseFallback(bm25)</c> is refused because BM25 over the candidates is set-dependent. Put the cache below the fallback,
/// around the primary, instead.
/// </para>
/// </remarks>
public sealed partial class FallbackReranker : DelegatingReranker
{
    private readonly IReranker[] _chain;
    private readonly string[] _names;
    private readonly Func<FallbackPredicateArguments, bool>? _shouldHandle;
    private readonly bool _clearModelId;
    private readonly ILogger _logger;
    private readonly RerankerMetadata? _metadata;
    private readonly bool _ownsFallbacks;
    private int _fallbacksDisposed;

    /// <summary>Initializes a new instance of the <see cref="FallbackReranker"/> class.</summary>
    /// <param name="innerReranker">The primary reranker.</param>
    /// <param name="fallbacks">The rerankers tried in order when the one before fails; disposed with this layer.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="logger">Where failures and fallbacks are logged, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerReranker"/> or <paramref name="fallbacks"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="fallbacks"/> contains <see langword="null"/>.</exception>
    public FallbackReranker(IReranker innerReranker, IEnumerable<IReranker> fallbacks, FallbackRerankerOptions? options = null, ILogger? logger = null)
        : this(innerReranker, fallbacks, options, logger, ownsFallbacks: true)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="FallbackReranker"/> class that may leave the fallbacks to their owner.</summary>
    internal FallbackReranker(IReranker innerReranker, IEnumerable<IReranker> fallbacks, FallbackRerankerOptions? options, ILogger? logger, bool ownsFallbacks)
        : base(innerReranker)
    {
        ArgumentNullException.ThrowIfNull(fallbacks);
        _chain = [innerReranker, .. fallbacks];
        for (int i = 1; i < _chain.Length; i++)
        {
            if (_chain[i] is null)
            {
                throw new ArgumentException($"The fallback at index {i - 1} is null.", nameof(fallbacks));
            }
        }

        _names = [.. _chain.Select(NameOf)];
        _shouldHandle = options?.ShouldHandle;
        _clearModelId = options?.ClearModelIdForFallbacks ?? true;
        _logger = logger ?? NullLogger.Instance;
        _ownsFallbacks = ownsFallbacks;

        // Any member may answer, so the chain's scores are only as pointwise as its least pointwise member, and they
        // come from every member's settings. More than that: one call may be answered by the primary and the next by a
        // fallback, so a layer above the chain that puts several calls' scores into one response (a cache's hits beside
        // its misses, batches, chunks) would mix two models' scales, unless every member scores alike (one fingerprint:
        // replicas of one model). Such a chain is declared set-dependent, and those layers go below it.
        string[] fingerprints = [.. _chain.Select(r => Fingerprints.Of(r, out _))];
        RerankScoreSemantics semantics = Fingerprints.Combine(_chain.Select(Fingerprints.SemanticsOf));
        if (semantics == RerankScoreSemantics.Pointwise && fingerprints.Distinct(StringComparer.Ordinal).Skip(1).Any())
        {
            semantics = RerankScoreSemantics.CandidateSetDependent;
        }

        if (innerReranker.GetService<RerankerMetadata>() is { } primary)
        {
            _metadata = new RerankerMetadata(primary.ProviderName, primary.ProviderUri, primary.DefaultModelId)
            {
                ScoreSemantics = semantics,
                ScoringFingerprint = $"fallback[{string.Join(" > ", fingerprints)}]",
            };
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Answers <see cref="RerankerMetadata"/> of its own: the primary's provider and model, the chain's semantics
    /// (<see cref="RerankScoreSemantics.CandidateSetDependent"/> if any member's scores are, or if its members score
    /// differently, since calls answered by different members must not be merged into one response) and a fingerprint of every member.
    /// </remarks>
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType == typeof(RerankerMetadata) && _metadata is not null ? _metadata : base.GetService(serviceType, serviceKey);
    }

    /// <summary>Gets the names of the rerankers of the chain, the primary first, as reported in responses.</summary>
    public IReadOnlyList<string> RerankerNames => _names;

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
            return new RerankResponse([]);
        }

        List<RerankFallbackAttempt>? attempts = null;
        RerankOptions? fallbackOptions = options;
        for (int i = 0; ; i++)
        {
            RerankResponse response;
            try
            {
                response = await _chain[i].RerankAsync(query, list, i == 0 ? options : fallbackOptions, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested)
                && i < _chain.Length - 1
                && (_shouldHandle?.Invoke(new FallbackPredicateArguments(ex, _chain[i], _names[i], i)) ?? true))
            {
                (attempts ??= []).Add(new RerankFallbackAttempt(_names[i], ex.GetType().FullName ?? ex.GetType().Name, ex.Message));
                LogFailed(_logger, _names[i], ex.GetType().Name, _names[i + 1], ex);
                if (i == 0 && _clearModelId && options?.ModelId is not null)
                {
                    fallbackOptions = options.Clone();
                    fallbackOptions.ModelId = null;
                }

                continue;
            }
            catch (Exception ex) when (attempts is not null && !(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                LogExhausted(_logger, _names[i], attempts.Count, ex);
                throw;
            }

            // A new response: the inner one may be shared (a cached instance), and its properties are not ours to change.
            RerankResponse answer = ResponseProperties.From(response.Results, response);
            ResponseProperties.Set(answer, RerankResponseProperties.FallbackAnsweredBy, _names[i]);
            if (attempts is not null)
            {
                ResponseProperties.Set(answer, RerankResponseProperties.FallbackAttempts, attempts.AsReadOnly());
                LogAnsweredByFallback(_logger, _names[i], attempts.Count);
            }

            return answer;
        }
    }

    /// <inheritdoc />
    /// <remarks>Disposes the primary, then (unless they came from the factory overload of <c>UseFallback</c>) each fallback once.</remarks>
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing || !_ownsFallbacks || Interlocked.Exchange(ref _fallbacksDisposed, 1) != 0)
        {
            return;
        }

        // The primary was disposed by the base class; a reranker that appears twice in the chain is disposed once.
        var disposed = new HashSet<IReranker>(ReferenceEqualityComparer.Instance) { _chain[0] };
        for (int i = 1; i < _chain.Length; i++)
        {
            if (disposed.Add(_chain[i]))
            {
                _chain[i].Dispose();
            }
        }
    }

    /// <summary>Names a reranker by its metadata (<c>provider/model</c>, or one of them when the other is missing or the same), else by its type.</summary>
    internal static string NameOf(IReranker reranker)
    {
        RerankerMetadata? metadata = reranker.GetService<RerankerMetadata>();
        string? name = (metadata?.ProviderName, metadata?.DefaultModelId) switch
        {
            ({ } provider, { } model) when provider == model => provider,
            ({ } provider, { } model) => $"{provider}/{model}",
            ({ } provider, null) => provider,
            (null, { } model) => model,
            _ => null,
        };

        return name ?? reranker.GetType().Name;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Reranker {Failed} failed with {ErrorType}; falling back to {Next}.")]
    private static partial void LogFailed(ILogger logger, string failed, string errorType, string next, Exception exception);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Reranking was answered by fallback {AnsweredBy} after {FailedCount} reranker(s) failed.")]
    private static partial void LogAnsweredByFallback(ILogger logger, string answeredBy, int failedCount);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "The fallback chain ended with a failure of {Last} after {FailedCount} earlier failure(s).")]
    private static partial void LogExhausted(ILogger logger, string last, int failedCount, Exception exception);
}
