namespace Rerank;

/// <summary>
/// A reranker that fuses several signals (the first-stage score, BM25, other rerankers, recency, custom values) into
/// one score per document, by weighted sum of normalised values or by reciprocal rank fusion. Create it with a
/// <see cref="HybridRerankerBuilder"/>.
/// </summary>
/// <remarks>
/// <para>
/// Per call, every signal scores every candidate: signals that call rerankers or asynchronous delegates start first,
/// on the thread pool, and run concurrently (also when a reranker computes on the caller's thread, as the ONNX
/// cross-encoder does), then the synchronous ones (first-stage score, BM25, recency, per-document delegates) run on
/// the calling thread. Each result carries <see cref="RerankResult.ScoreComponents"/>: per signal its raw value, the
/// value that entered the fusion and the weight applied, and <see cref="RerankResult.Score"/> is the sum of
/// <c>Weight × NormalizedValue</c> over them.
/// </para>
/// <para>
/// Scores are on the fusion's own scale: with weighted sum and normalised values in [0, 1], between 0 and the sum of
/// the weights; with reciprocal rank fusion, at most Σ w / (k + 1). Normalisation and ranks are computed over the
/// candidates of the call, so a document's score depends on which other documents are in the call (not on their
/// order): the metadata declares <see cref="RerankScoreSemantics.CandidateSetDependent"/>, except for a weighted sum
/// whose every signal is a pointwise reranker (or BM25 with corpus statistics) normalised by
/// <see cref="ScoreNormalization.None"/> or <see cref="ScoreNormalization.Sigmoid"/>. Scores are always finite: NaN inputs are missing values, infinities are handled as
/// <see cref="ScoreNormalization"/> describes.
/// </para>
/// <para>
/// The hybrid reranker owns the rerankers added as signals (the ownership rule of docs/ownership.md): disposing it
/// disposes them. Give it an instance of its own, or wrap a shared one so that its disposal does nothing. The
/// instance is thread-safe.
/// </para>
/// </remarks>
public sealed class HybridReranker : IReranker
{
    /// <summary>The model id reported in <see cref="RerankResponse.ModelId"/> and <see cref="RerankerMetadata"/>.</summary>
    public const string ModelId = "hybrid";

    private readonly HybridSignalRegistration[] _signals;
    private readonly int[] _startOrder;
    private readonly double _totalWeight;
    private readonly HybridFusionMethod _fusion;
    private readonly double _k;
    private readonly TimeProvider _timeProvider;
    private readonly RerankerMetadata _metadata;
    private int _disposed;

    internal HybridReranker(HybridSignalRegistration[] signals, HybridFusionMethod fusion, double k, TimeProvider timeProvider)
    {
        _signals = signals;
        _fusion = fusion;
        _k = k;
        _timeProvider = timeProvider;
        _totalWeight = signals.Sum(s => s.Weight);

        // Slow signals first, so that they are already running while the synchronous ones compute.
        _startOrder = [.. Enumerable.Range(0, signals.Length).OrderBy(i => signals[i].Signal.IsAsynchronous ? 0 : 1)];
        SignalNames = [.. signals.Select(s => s.Name)];
        _metadata = new RerankerMetadata("hybrid", null, ModelId) { ScoreSemantics = Semantics(signals, fusion), ScoringFingerprint = Fingerprint(signals, fusion, k) };
    }

    /// <summary>Gets the names of the signals, in the order they were added; the order of <see cref="RerankResult.ScoreComponents"/>.</summary>
    public IReadOnlyList<string> SignalNames { get; }

    /// <inheritdoc />
    /// <exception cref="HybridSignalException">A signal failed or timed out under <see cref="HybridSignalFailureBehavior.Throw"/>.</exception>
    /// <exception cref="AggregateException">Every signal with weight was dropped under <see cref="HybridSignalFailureBehavior.DropSignal"/>; holds their <see cref="HybridSignalException"/>s.</exception>
    public async Task<RerankResponse> RerankAsync(
        string query,
        IEnumerable<RerankDocument> documents,
        RerankOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        IReadOnlyList<RerankDocument> list = RerankContract.ValidateArguments(query, documents, options);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (list.Count == 0)
        {
            return new RerankResponse([]) { ModelId = ModelId };
        }

        cancellationToken.ThrowIfCancellationRequested();

        // Rerankers used as signals must score every candidate; the caller's ModelId names no model of theirs.
        RerankOptions? signalOptions = options?.Clone();
        if (signalOptions is not null)
        {
            signalOptions.TopN = null;
            signalOptions.ScoreThreshold = null;
            signalOptions.ModelId = null;
        }

        SignalOutcome[] outcomes = await RunSignalsAsync(query, list, signalOptions, cancellationToken).ConfigureAwait(false);

        var answered = new List<HybridSignalRegistration>(_signals.Length);
        var raw = new List<double[]>(_signals.Length);
        var dropped = new List<HybridSignalException>();
        RerankUsage? usage = null;
        for (int s = 0; s < _signals.Length; s++)
        {
            if (outcomes[s].Failure is { } failure)
            {
                dropped.Add(failure);
                continue;
            }

            answered.Add(_signals[s]);
            raw.Add(outcomes[s].Scores.Values);
            if (outcomes[s].Scores.Usage is { } signalUsage)
            {
                (usage ??= new RerankUsage()).Add(signalUsage);
            }
        }

        double answeredWeight = answered.Sum(s => s.Weight);
        if (answeredWeight <= 0)
        {
            throw new AggregateException(
                $"Every hybrid signal with weight failed ({string.Join(", ", dropped.Select(d => d.SignalName))}); no ranking can be made.",
                dropped);
        }

        // Dropped signals' weight is spread over the others in proportion, keeping the total (and the score scale) unchanged.
        double scale = _totalWeight / answeredWeight;
        double[] weights = [.. answered.Select(s => s.Weight * scale)];
        var fusion = HybridFusion.Fuse(answered, [.. raw], weights, list.Count, _fusion, _k);
        IReadOnlyList<RerankResult> results = RerankContract.Rank(list, fusion.Scores, options);
        foreach (RerankResult result in results)
        {
            result.ScoreComponents = fusion.ComponentsFor(result.Index);
        }

        return new RerankResponse(results)
        {
            ModelId = ModelId,
            Usage = usage,
            AdditionalProperties = dropped.Count == 0
                ? null
                : new Dictionary<string, object?>(StringComparer.Ordinal) { [RerankResponseProperties.HybridDroppedSignals] = dropped.AsReadOnly() },
        };
    }

    /// <inheritdoc />
    /// <remarks>Answers <see cref="RerankerMetadata"/> and itself, then asks the rerankers added as signals, in order.</remarks>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is null)
        {
            if (serviceType == typeof(RerankerMetadata))
            {
                return _metadata;
            }

            if (serviceType.IsInstanceOfType(this))
            {
                return this;
            }
        }

        foreach (HybridSignalRegistration signal in _signals)
        {
            if (signal.Signal.GetService(serviceType, serviceKey) is { } service)
            {
                return service;
            }
        }

        return null;
    }

    /// <inheritdoc />
    /// <remarks>Disposes the rerankers added as signals, once each, in the order they were added.</remarks>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // One reranker added twice (two weights, two normalisations) is disposed once.
        var disposed = new HashSet<IReranker>(ReferenceEqualityComparer.Instance);
        foreach (RerankerSignal signal in _signals.Select(s => s.Signal).OfType<RerankerSignal>())
        {
            if (disposed.Add(signal.Reranker))
            {
                signal.Reranker.Dispose();
            }
        }
    }

    /// <summary>
    /// Pointwise only when no step looks at the other candidates: weighted sum (rank fusion ranks within the call) of
    /// pointwise signals whose normalisation maps each value alone (none, sigmoid; min-max, z-score and rank use the call's values).
    /// </summary>
    private static RerankScoreSemantics Semantics(HybridSignalRegistration[] signals, HybridFusionMethod fusion)
    {
        if (fusion != HybridFusionMethod.WeightedSum
            || signals.Any(s => s.Normalization is not (ScoreNormalization.None or ScoreNormalization.Sigmoid)))
        {
            return RerankScoreSemantics.CandidateSetDependent;
        }

        return Fingerprints.Combine(signals.Select(s => s.Signal.ScoreSemantics));
    }

    private static string Fingerprint(HybridSignalRegistration[] signals, HybridFusionMethod fusion, double k)
    {
        string method = fusion == HybridFusionMethod.WeightedSum ? "weighted-sum" : $"rrf(k={Fingerprints.Number(k)})";
        IEnumerable<string> parts = signals.Select(s =>
            $"{s.Name}(weight={Fingerprints.Number(s.Weight)},normalization={s.Normalization},higher-is-better={s.HigherIsBetter},missing={s.MissingValues},on-failure={s.FailureBehavior})={s.Signal.Fingerprint}");
        return $"hybrid({method};{string.Join(";", parts)})";
    }

    private async Task<SignalOutcome[]> RunSignalsAsync(string query, IReadOnlyList<RerankDocument> documents, RerankOptions? options, CancellationToken cancellationToken)
    {
        var outcomes = new SignalOutcome[_signals.Length];
        var call = new CallState(CancellationTokenSource.CreateLinkedTokenSource(cancellationToken));
        using (call.Cancellation)
        {
            var running = new Task[_signals.Length];
            for (int j = 0; j < _startOrder.Length; j++)
            {
                int s = _startOrder[j];
                running[j] = RunSignalAsync(_signals[s], query, documents, options, call, cancellationToken, outcome => outcomes[s] = outcome);
            }

            try
            {
                await Task.WhenAll(running).ConfigureAwait(false);
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                // Only the caller's cancellation lets an exception escape RunSignalAsync; report it as such.
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        if (call.Fatal is { } fatal)
        {
            throw fatal;
        }

        return outcomes;
    }

    private async Task RunSignalAsync(
        HybridSignalRegistration signal,
        string query,
        IReadOnlyList<RerankDocument> documents,
        RerankOptions? options,
        CallState call,
        CancellationToken callerToken,
        Action<SignalOutcome> record)
    {
        using CancellationTokenSource? timeout = signal.Timeout is { } limit ? new CancellationTokenSource(limit, _timeProvider) : null;
        using CancellationTokenSource? linked = timeout is null ? null : CancellationTokenSource.CreateLinkedTokenSource(call.Cancellation.Token, timeout.Token);
        CancellationToken token = linked?.Token ?? call.Cancellation.Token;
        try
        {
            // Signals that call rerankers are started on the thread pool: one that computes on the caller's thread (ONNX,
            // BM25 as a reranker) would otherwise finish before the next signal starts, and its timeout could not fire.
            ValueTask<SignalScores> pending = signal.Signal.IsAsynchronous
                ? new ValueTask<SignalScores>(InnerCall.Start(() => signal.Signal.ScoreAsync(query, documents, options, token).AsTask()))
                : signal.Signal.ScoreAsync(query, documents, options, token);
            SignalScores scores;
            if (pending.IsCompleted)
            {
                scores = pending.Result;
            }
            else
            {
                // WaitAsync returns when the token fires even if the signal ignores it; the abandoned task's error is observed.
                Task<SignalScores> task = pending.AsTask();
                try
                {
                    scores = await task.WaitAsync(token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!task.IsCompleted)
                {
                    _ = task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                    throw;
                }
            }

            if (scores.Values is null || scores.Values.Length != documents.Count)
            {
                throw new InvalidOperationException($"The signal returned {scores.Values?.Length ?? 0} values for {documents.Count} documents.");
            }

            record(new SignalOutcome(scores, null));
        }
        catch (Exception ex) when (!callerToken.IsCancellationRequested)
        {
            bool timedOut = timeout?.IsCancellationRequested == true && !call.Cancellation.IsCancellationRequested;
            var failure = new HybridSignalException(
                signal.Name,
                timedOut,
                timedOut ? new TimeoutException($"The signal '{signal.Name}' took longer than {signal.Timeout}.", ex) : ex);
            if (call.Cancellation.IsCancellationRequested && ex is OperationCanceledException)
            {
                // Cancelled because another signal failed the call; that failure is the one reported.
                record(new SignalOutcome(default, failure));
                return;
            }

            if (signal.FailureBehavior == HybridSignalFailureBehavior.Throw)
            {
                call.Fail(failure);
            }

            record(new SignalOutcome(default, failure));
        }
    }

    private readonly record struct SignalOutcome(SignalScores Scores, HybridSignalException? Failure);

    /// <summary>What the signals of one call share: cancellation of the rest when one fails the call, and that first failure.</summary>
    private sealed class CallState(CancellationTokenSource cancellation)
    {
        private HybridSignalException? _fatal;

        public CancellationTokenSource Cancellation { get; } = cancellation;

        public HybridSignalException? Fatal => Volatile.Read(ref _fatal);

        public void Fail(HybridSignalException failure)
        {
            if (Interlocked.CompareExchange(ref _fatal, failure, null) is null)
            {
                Cancellation.Cancel();
            }
        }
    }
}
