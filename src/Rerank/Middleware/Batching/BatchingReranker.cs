namespace Rerank;

/// <summary>
/// Sends the inner reranker bounded batches: a large request is split into batches of at most
/// <see cref="BatchingRerankerOptions.MaxBatchSize"/> documents and merged back, and concurrent small requests with the
/// same query are coalesced into one call.
/// </summary>
/// <remarks>
/// <para>
/// <b>Splitting.</b> A request larger than the batch size is scored in batches, at most
/// <see cref="BatchingRerankerOptions.MaxConcurrency"/> at a time, so that 10,000 documents never put more than
/// <c>MaxBatchSize × MaxConcurrency</c> documents in front of the model at once. Each batch's indices are mapped back,
/// all scores are ranked together with <see cref="RerankContract.Rank"/>, and TopN and ScoreThreshold are applied after
/// the merge. Usage is summed.
/// </para>
/// <para>
/// <b>Coalescing.</b> A request smaller than the batch size waits up to
/// <see cref="BatchingRerankerOptions.CoalescingWindow"/> (measured on the injected <see cref="TimeProvider"/>) for
/// other requests with the same query, model, <see cref="RerankOptions.MaxTokensPerDocument"/> and no
/// <see cref="RerankOptions.AdditionalProperties"/>; they share one inner call, sent when the window closes or the group
/// reaches the batch size. Only such requests are coalesced, because an inner call scores one query under one set of
/// options. Each request ranks its own documents with its own TopN and threshold, and can be cancelled on its own: its
/// documents' scores are dropped and the others are unharmed; the shared call is cancelled only when every request in
/// it is. Each coalesced response carries the shared call's usage and
/// <see cref="RerankResponseProperties.CoalescedRequests"/>.
/// </para>
/// <para>
/// Every call this layer makes to the inner reranker, split or coalesced, counts against
/// <see cref="BatchingRerankerOptions.MaxConcurrency"/>.
/// </para>
/// <para>
/// <b>Score semantics.</b> Splitting and coalescing both change the candidate set the inner reranker sees, which is
/// correct only for <see cref="RerankScoreSemantics.Pointwise"/> scores. Over any other reranker the constructor (and so
/// <c>Build()</c>) throws <see cref="InvalidOperationException"/> naming it. The layer was not made to pass such a
/// reranker's calls through unsplit: a limit that silently does not apply is worse than a clear error.
/// </para>
/// </remarks>
public sealed partial class BatchingReranker : DelegatingReranker
{
    private readonly int _maxBatchSize;
    private readonly int _maxConcurrency;
    private readonly TimeSpan _window;
    private readonly TimeProvider _timeProvider;

    // Never disposed: calls still in flight when the layer is disposed release their slot afterwards, and a disposed
    // SemaphoreSlim would turn that release into an ObjectDisposedException. It holds no kernel handle unless
    // AvailableWaitHandle is read, which this layer never does, so there is nothing to free.
    private readonly SemaphoreSlim _slots;

    /// <summary>Initializes a new instance of the <see cref="BatchingReranker"/> class.</summary>
    /// <param name="innerReranker">The reranker that scores the batches.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerReranker"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="innerReranker"/> does not declare <see cref="RerankScoreSemantics.Pointwise"/> scores.</exception>
    public BatchingReranker(IReranker innerReranker, BatchingRerankerOptions? options = null)
        : base(innerReranker)
    {
        options ??= new BatchingRerankerOptions();
        options.Validate();
        PointwiseRequirement.Check(
            innerReranker,
            "UseBatching",
            "splits a large request into batches scored apart and merges concurrent requests' candidates into one call",
            "leave batching to the reranker itself (the listwise LLM's window, Cohere's request splitting), put UseBatching below it around a pointwise reranker, or bound concurrency with a layer of your own");
        _maxBatchSize = options.MaxBatchSize;
        _maxConcurrency = options.MaxConcurrency;
        _window = options.CoalescingWindow;
        _timeProvider = options.TimeProvider ?? TimeProvider.System;
        _slots = new SemaphoreSlim(_maxConcurrency, _maxConcurrency);
    }

    /// <summary>Gets the most documents sent to the inner reranker in one call.</summary>
    public int MaxBatchSize => _maxBatchSize;

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

        if (list.Count > _maxBatchSize)
        {
            return await SplitAsync(query, list, options, cancellationToken).ConfigureAwait(false);
        }

        if (_window > TimeSpan.Zero && list.Count < _maxBatchSize && IsCoalescable(options))
        {
            return await CoalesceAsync(query, list, options, cancellationToken).ConfigureAwait(false);
        }

        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await InnerReranker.RerankAsync(query, list, options, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    private async Task<RerankResponse> SplitAsync(string query, IReadOnlyList<RerankDocument> list, RerankOptions? options, CancellationToken cancellationToken)
    {
        // One array of references for the whole request; each batch is a view on it, never a copy.
        RerankDocument[] all = list as RerankDocument[] ?? [.. list];
        var scores = new double[all.Length];
        int batchCount = (all.Length + _maxBatchSize - 1) / _maxBatchSize;
        RerankOptions? batchOptions = InnerScoring.ForAllScores(options);

        var merged = new RerankResponse([]);
        object mergeLock = new();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, batchCount),
            new ParallelOptions { MaxDegreeOfParallelism = _maxConcurrency, CancellationToken = cancellationToken },
            async (batch, ct) =>
            {
                int offset = batch * _maxBatchSize;
                var segment = new ArraySegment<RerankDocument>(all, offset, Math.Min(_maxBatchSize, all.Length - offset));
                RerankResponse response;
                await _slots.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    response = await InnerScoring.ScoreAsync(InnerReranker, query, segment, batchOptions, scores, offset, ct).ConfigureAwait(false);
                }
                finally
                {
                    _slots.Release();
                }

                lock (mergeLock)
                {
                    merged.ModelId ??= response.ModelId;
                    merged.Usage = ResponseProperties.AddUsage(merged.Usage, response.Usage);
                    ResponseProperties.Merge(merged, response.AdditionalProperties);
                }
            }).ConfigureAwait(false);

        RerankResponse result = ResponseProperties.From(RerankContract.Rank(all, scores, options), merged);
        ResponseProperties.Set(result, RerankResponseProperties.Batches, batchCount);
        return result;
    }
}
