namespace Rerank;

/// <summary>Builds a <see cref="HybridReranker"/> from signals, their weights and normalisations, and a fusion method.</summary>
/// <remarks>
/// <para>
/// Each <c>Add…</c> method adds one signal with a weight and a normalisation, and optionally a callback that sets the
/// rest of its <see cref="HybridSignalOptions"/> (name, timeout, failure and missing-value behaviour, direction).
/// Reranker-wide defaults for those come from <see cref="OnSignalFailure"/>, <see cref="UseSignalTimeout"/> and
/// <see cref="HandleMissingValues"/>. Everything is checked by <see cref="Build"/>, which may be called more than once;
/// each call builds an independent reranker from the settings at that moment.
/// </para>
/// <para>The builder itself is not thread-safe; the rerankers it builds are.</para>
/// </remarks>
/// <example>
/// <code>
/// IReranker reranker = new HybridRerankerBuilder()
///     .AddFirstStageScore(0.3)
///     .AddBm25(0.2)
///     .AddReranker(crossEncoder, 0.5, ScoreNormalization.Sigmoid, s => s.Timeout = TimeSpan.FromMilliseconds(300))
///     .OnSignalFailure(HybridSignalFailureBehavior.DropSignal)
///     .Build();
/// </code>
/// </example>
public sealed class HybridRerankerBuilder
{
    /// <summary>The constant k of reciprocal rank fusion recommended by Cormack, Clarke and Büttcher (2009).</summary>
    public const double DefaultRrfK = 60;

    /// <summary>The metadata key <see cref="AddRecency(TimeSpan, double, string, ScoreNormalization, Action{HybridSignalOptions}?)"/> reads by default.</summary>
    public const string DefaultTimestampKey = "timestamp";

    private readonly List<PendingSignal> _signals = [];
    private HybridFusionMethod _fusion = HybridFusionMethod.WeightedSum;
    private double _k = DefaultRrfK;
    private HybridSignalFailureBehavior _failureBehavior = HybridSignalFailureBehavior.Throw;
    private HybridMissingValueBehavior _missingValues = HybridMissingValueBehavior.Minimum;
    private TimeSpan? _timeout;
    private TimeProvider _timeProvider = TimeProvider.System;

    /// <summary>Adds the first-stage retrieval score, <see cref="RerankDocument.Score"/> (vector similarity, a search engine's score), as a signal named <c>first_stage</c>.</summary>
    /// <param name="weight">The signal's weight; finite and at least 0.</param>
    /// <param name="normalization">How the scores are normalised; min-max by default, since first-stage scales vary. For a distance, set <see cref="HybridSignalOptions.HigherIsBetter"/> to <see langword="false"/>.</param>
    /// <param name="configure">Sets the rest of the signal's options.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="weight"/> is negative, NaN or infinite.</exception>
    /// <remarks>A document without a score has no value for the signal; see <see cref="HybridMissingValueBehavior"/>.</remarks>
    public HybridRerankerBuilder AddFirstStageScore(double weight = 1, ScoreNormalization normalization = ScoreNormalization.MinMax, Action<HybridSignalOptions>? configure = null) =>
        Add(_ => new FirstStageScoreSignal(), weight, normalization, configure);

    /// <summary>Adds Okapi BM25 of the query against each candidate as a signal named <c>bm25</c>.</summary>
    /// <param name="weight">The signal's weight; finite and at least 0.</param>
    /// <param name="normalization">How the scores are normalised; min-max by default, since BM25 is unbounded.</param>
    /// <param name="bm25Options">k1, b, the analyser and optional corpus statistics; <see langword="null"/> for the defaults. Read once, here.</param>
    /// <param name="configure">Sets the rest of the signal's options.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="weight"/>, <see cref="Bm25Options.K1"/> or <see cref="Bm25Options.B"/> is out of range.</exception>
    /// <remarks>See <see cref="Bm25Reranker"/> for the formula.</remarks>
    public HybridRerankerBuilder AddBm25(double weight = 1, ScoreNormalization normalization = ScoreNormalization.MinMax, Bm25Options? bm25Options = null, Action<HybridSignalOptions>? configure = null)
    {
        var signal = new Bm25Signal(bm25Options);
        return Add(_ => signal, weight, normalization, configure);
    }

    /// <summary>Adds the scores of another reranker (a cross-encoder, Cohere, an LLM) as a signal.</summary>
    /// <param name="reranker">The reranker. It is called with every candidate, the caller's options without TopN, ScoreThreshold and ModelId, and is disposed with the hybrid reranker, which owns it (docs/ownership.md): a reranker given to two hybrid rerankers, or built into two by calling Build twice, is disposed by the first one disposed.</param>
    /// <param name="weight">The signal's weight; finite and at least 0.</param>
    /// <param name="normalization">How the scores are normalised; min-max by default. <see cref="ScoreNormalization.Sigmoid"/> suits raw logits, <see cref="ScoreNormalization.None"/> probabilities.</param>
    /// <param name="configure">Sets the rest of the signal's options.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reranker"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="weight"/> is negative, NaN or infinite.</exception>
    /// <remarks>The signal is named after the reranker's <see cref="RerankerMetadata.DefaultModelId"/>, or <c>reranker</c>. Reranker signals run concurrently with each other.</remarks>
    public HybridRerankerBuilder AddReranker(IReranker reranker, double weight = 1, ScoreNormalization normalization = ScoreNormalization.MinMax, Action<HybridSignalOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(reranker);
        var signal = new RerankerSignal(reranker);
        return Add(_ => signal, weight, normalization, configure);
    }

    /// <summary>Adds freshness, 0.5^(age / <paramref name="halfLife"/>), read from a timestamp in <see cref="RerankDocument.Metadata"/>, as a signal named <c>recency</c>.</summary>
    /// <param name="halfLife">The age at which the signal is 0.5; positive.</param>
    /// <param name="weight">The signal's weight; finite and at least 0.</param>
    /// <param name="metadataKey">The metadata key holding the timestamp: a <see cref="DateTimeOffset"/>, a <see cref="DateTime"/> (unspecified kind = UTC), a <see cref="DateOnly"/>, or an ISO 8601 string (no offset = UTC), also inside a <c>JsonElement</c>.</param>
    /// <param name="normalization">How the values are normalised; none by default, as they are already in (0, 1] and mean the same in every call.</param>
    /// <param name="configure">Sets the rest of the signal's options.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="halfLife"/> is not positive, or <paramref name="weight"/> is out of range.</exception>
    /// <exception cref="ArgumentException"><paramref name="metadataKey"/> is <see langword="null"/> or empty.</exception>
    /// <remarks>
    /// Age is measured from the builder's <see cref="TimeProvider"/> (<see cref="UseTimeProvider"/>); a timestamp in
    /// the future counts as now (1). A document without a readable timestamp has no value for the signal.
    /// </remarks>
    public HybridRerankerBuilder AddRecency(TimeSpan halfLife, double weight = 1, string metadataKey = DefaultTimestampKey, ScoreNormalization normalization = ScoreNormalization.None, Action<HybridSignalOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(metadataKey);
        return AddRecency(halfLife, document => RecencySignal.ReadTimestamp(document, metadataKey), weight, normalization, configure);
    }

    /// <summary>Adds freshness, 0.5^(age / <paramref name="halfLife"/>), with the timestamp read by your own function, as a signal named <c>recency</c>.</summary>
    /// <param name="halfLife">The age at which the signal is 0.5; positive.</param>
    /// <param name="timestampSelector">Returns a document's timestamp, or <see langword="null"/> when it has none. Must be thread-safe.</param>
    /// <param name="weight">The signal's weight; finite and at least 0.</param>
    /// <param name="normalization">How the values are normalised; none by default.</param>
    /// <param name="configure">Sets the rest of the signal's options.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="timestampSelector"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="halfLife"/> is not positive, or <paramref name="weight"/> is out of range.</exception>
    public HybridRerankerBuilder AddRecency(TimeSpan halfLife, Func<RerankDocument, DateTimeOffset?> timestampSelector, double weight = 1, ScoreNormalization normalization = ScoreNormalization.None, Action<HybridSignalOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(timestampSelector);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(halfLife, TimeSpan.Zero);
        return Add(timeProvider => new RecencySignal(halfLife, timestampSelector, timeProvider), weight, normalization, configure);
    }

    /// <summary>Adds a custom signal computed per document by a synchronous function, such as a popularity count or a price.</summary>
    /// <param name="name">The signal's name; not empty, unique among the names you set.</param>
    /// <param name="score">Returns the raw value for (query, document); NaN for "no value". Runs on the calling thread, so it must be fast; use the asynchronous overload for I/O. Must be thread-safe.</param>
    /// <param name="weight">The signal's weight; finite and at least 0.</param>
    /// <param name="normalization">How the values are normalised; min-max by default.</param>
    /// <param name="configure">Sets the rest of the signal's options.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="score"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is <see langword="null"/>, empty or white space.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="weight"/> is negative, NaN or infinite.</exception>
    public HybridRerankerBuilder AddSignal(string name, Func<string, RerankDocument, double> score, double weight = 1, ScoreNormalization normalization = ScoreNormalization.MinMax, Action<HybridSignalOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(score);
        var signal = new DocumentDelegateSignal(name, score);
        return Add(_ => signal, weight, normalization, configure, explicitName: name);
    }

    /// <summary>Adds a custom signal computed for all documents at once by an asynchronous function, such as a feature-store lookup; it runs concurrently with the other asynchronous signals.</summary>
    /// <param name="name">The signal's name; not empty, unique among the names you set.</param>
    /// <param name="scoreAsync">Returns one raw value per document, in document order; NaN for "no value". Should honour the token, which is cancelled by the caller, the signal's timeout, or another signal failing the call. Must be thread-safe.</param>
    /// <param name="weight">The signal's weight; finite and at least 0.</param>
    /// <param name="normalization">How the values are normalised; min-max by default.</param>
    /// <param name="configure">Sets the rest of the signal's options.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="scoreAsync"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is <see langword="null"/>, empty or white space.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="weight"/> is negative, NaN or infinite.</exception>
    public HybridRerankerBuilder AddSignal(
        string name,
        Func<string, IReadOnlyList<RerankDocument>, CancellationToken, ValueTask<IReadOnlyList<double>>> scoreAsync,
        double weight = 1,
        ScoreNormalization normalization = ScoreNormalization.MinMax,
        Action<HybridSignalOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(scoreAsync);
        var signal = new BatchDelegateSignal(name, scoreAsync);
        return Add(_ => signal, weight, normalization, configure, explicitName: name);
    }

    /// <summary>Fuses by weighted sum of normalised values: score = Σ weight · normalised value. The default.</summary>
    /// <returns>This builder.</returns>
    public HybridRerankerBuilder UseWeightedSum()
    {
        _fusion = HybridFusionMethod.WeightedSum;
        return this;
    }

    /// <summary>
    /// Fuses by reciprocal rank fusion (Cormack, Clarke and Büttcher, SIGIR 2009): score = Σ weight / (k + rank), with
    /// rank starting at 1 and equal values sharing the best rank of their group. Uses only the order of each signal,
    /// so normalisations are ignored; robust when signals' scales cannot be compared.
    /// </summary>
    /// <param name="k">The constant k; finite and at least 0. 60 by default, as in the paper.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is negative, NaN or infinite.</exception>
    /// <remarks>With every weight 1 the score is exactly the paper's RRFscore(d) = Σ_r 1 / (k + r(d)).</remarks>
    public HybridRerankerBuilder UseReciprocalRankFusion(double k = DefaultRrfK)
    {
        if (!double.IsFinite(k) || k < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, "The RRF constant k must be a finite number of at least 0 (60 is the usual value).");
        }

        _fusion = HybridFusionMethod.ReciprocalRankFusion;
        _k = k;
        return this;
    }

    /// <summary>Sets what happens when a signal fails or times out, for signals that do not set <see cref="HybridSignalOptions.FailureBehavior"/>.</summary>
    /// <param name="behavior">Fail the call (the default) or drop the signal and scale up the other weights.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="behavior"/> is not a defined value.</exception>
    public HybridRerankerBuilder OnSignalFailure(HybridSignalFailureBehavior behavior)
    {
        ThrowIfUndefined(behavior);
        _failureBehavior = behavior;
        return this;
    }

    /// <summary>Sets how long each signal may take in one call, for signals that do not set <see cref="HybridSignalOptions.Timeout"/>.</summary>
    /// <param name="timeout">Positive, or <see langword="null"/> / <see cref="Timeout.InfiniteTimeSpan"/> for no limit (the default).</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is zero or negative (other than <see cref="Timeout.InfiniteTimeSpan"/>).</exception>
    /// <remarks>
    /// Measured with the builder's <see cref="TimeProvider"/>. A signal that times out is handled by its failure
    /// behaviour. Synchronous signals (first-stage score, BM25, recency, per-document delegates) run on the calling
    /// thread and stop at their next cancellation check.
    /// </remarks>
    public HybridRerankerBuilder UseSignalTimeout(TimeSpan? timeout)
    {
        _timeout = CheckTimeout(timeout, nameof(timeout));
        return this;
    }

    /// <summary>Sets what happens to a document that has no value for a signal, for signals that do not set <see cref="HybridSignalOptions.MissingValues"/>.</summary>
    /// <param name="behavior">Count it as the signal's minimum (the default) or skip the signal for that document and scale up its other weights.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="behavior"/> is not a defined value.</exception>
    public HybridRerankerBuilder HandleMissingValues(HybridMissingValueBehavior behavior)
    {
        ThrowIfUndefined(behavior);
        _missingValues = behavior;
        return this;
    }

    /// <summary>Sets the clock for signal timeouts and recency; <see cref="TimeProvider.System"/> by default. Tests pass a <c>FakeTimeProvider</c>.</summary>
    /// <param name="timeProvider">The clock.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="timeProvider"/> is <see langword="null"/>.</exception>
    public HybridRerankerBuilder UseTimeProvider(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
        return this;
    }

    /// <summary>Checks the settings and builds the reranker.</summary>
    /// <returns>A new <see cref="HybridReranker"/>.</returns>
    /// <exception cref="InvalidOperationException">
    /// No signal was added; a signal's weight, normalisation, timeout or behaviour is invalid; two signals were given
    /// the same name; or the weights sum to zero.
    /// </exception>
    public HybridReranker Build()
    {
        if (_signals.Count == 0)
        {
            throw new InvalidOperationException("A hybrid reranker needs at least one signal: call AddFirstStageScore, AddBm25, AddReranker, AddRecency or AddSignal before Build().");
        }

        var registrations = new HybridSignalRegistration[_signals.Count];
        HybridSignal[] signals = [.. _signals.Select(p => p.Factory(_timeProvider))];
        string[] names = AssignNames(signals);
        double total = 0;
        for (int i = 0; i < registrations.Length; i++)
        {
            registrations[i] = Resolve(signals[i], _signals[i].Options, names[i]);
            total += registrations[i].Weight;
        }

        if (!(total > 0))
        {
            throw new InvalidOperationException(
                $"The weights of the hybrid signals sum to zero ({string.Join(", ", registrations.Select(r => $"{r.Name} = {r.Weight}"))}); give at least one signal a positive weight.");
        }

        if (!double.IsFinite(total))
        {
            throw new InvalidOperationException("The weights of the hybrid signals sum to more than a double can hold; use smaller weights.");
        }

        return new HybridReranker(registrations, _fusion, _k, _timeProvider);
    }

    private HybridRerankerBuilder Add(Func<TimeProvider, HybridSignal> factory, double weight, ScoreNormalization normalization, Action<HybridSignalOptions>? configure, string? explicitName = null)
    {
        CheckWeight(weight, nameof(weight));
        ThrowIfUndefined(normalization);
        var options = new HybridSignalOptions { Name = explicitName, Weight = weight, Normalization = normalization };
        configure?.Invoke(options);
        _signals.Add(new PendingSignal(factory, options));
        return this;
    }

    private HybridSignalRegistration Resolve(HybridSignal signal, HybridSignalOptions options, string name)
    {
        try
        {
            CheckWeight(options.Weight, nameof(HybridSignalOptions.Weight));
            ThrowIfUndefined(options.Normalization);
            HybridSignalFailureBehavior failure = options.FailureBehavior ?? _failureBehavior;
            HybridMissingValueBehavior missing = options.MissingValues ?? _missingValues;
            ThrowIfUndefined(failure);
            ThrowIfUndefined(missing);
            TimeSpan? timeout = options.Timeout is null ? _timeout : CheckTimeout(options.Timeout, nameof(HybridSignalOptions.Timeout));
            return new HybridSignalRegistration(signal, name, options.Weight, options.Normalization, options.HigherIsBetter, failure, timeout, missing);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException($"The hybrid signal '{name}' is misconfigured: {ex.Message}", ex);
        }
    }

    /// <summary>Names you set must be unique; default names take a numeric suffix when already taken.</summary>
    private string[] AssignNames(HybridSignal[] signals)
    {
        var names = new string[_signals.Count];
        var taken = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < names.Length; i++)
        {
            if (_signals[i].Options.Name is { } name)
            {
                if (string.IsNullOrWhiteSpace(name) || !taken.Add(name))
                {
                    throw new InvalidOperationException($"Two hybrid signals are named '{name}' (or the name is empty); signal names must be unique.");
                }

                names[i] = name;
            }
        }

        for (int i = 0; i < names.Length; i++)
        {
            if (names[i] is null)
            {
                string baseName = signals[i].DefaultName;
                string candidate = baseName;
                for (int suffix = 2; !taken.Add(candidate); suffix++)
                {
                    candidate = $"{baseName}-{suffix}";
                }

                names[i] = candidate;
            }
        }

        return names;
    }

    private static void CheckWeight(double weight, string paramName)
    {
        if (!double.IsFinite(weight) || weight < 0)
        {
            throw new ArgumentOutOfRangeException(paramName, weight, "A signal weight must be a finite number of at least 0. To penalise with a signal, invert its values (or set HigherIsBetter = false) rather than giving it a negative weight.");
        }
    }

    private static TimeSpan? CheckTimeout(TimeSpan? timeout, string paramName)
    {
        if (timeout is null || timeout == Timeout.InfiniteTimeSpan)
        {
            return null;
        }

        return timeout > TimeSpan.Zero
            ? timeout
            : throw new ArgumentOutOfRangeException(paramName, timeout, "A signal timeout must be positive, or Timeout.InfiniteTimeSpan / null for none.");
    }

    private static void ThrowIfUndefined<TEnum>(TEnum value)
        where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"{value} is not a defined {typeof(TEnum).Name}.");
        }
    }

    private sealed record PendingSignal(Func<TimeProvider, HybridSignal> Factory, HybridSignalOptions Options);
}
