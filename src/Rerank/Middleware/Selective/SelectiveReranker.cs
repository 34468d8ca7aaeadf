namespace Rerank;

/// <summary>
/// Calls the inner (expensive) reranker only when it can change the outcome: when its policies find the first stage
/// decisive, the call is answered with the first-stage order and the first-stage scores instead.
/// </summary>
/// <remarks>
/// <para>
/// Decision, per call: a call with a <see cref="RerankOptions.ScoreThreshold"/> is always reranked (the threshold is on
/// the reranker's scale, and applying it to first-stage scores would mix scales); so is a call in which any candidate
/// lacks a finite first-stage <see cref="RerankDocument.Score"/>. Otherwise any policy's
/// <see cref="SelectiveRerankingVerdict.Rerank"/> wins, else any <see cref="SelectiveRerankingVerdict.Skip"/> skips,
/// else the call is reranked. Policies are asked in order; the first that decided is reported.
/// </para>
/// <para>
/// Scales are never mixed silently: a skipped call's results carry first-stage scores, its <see cref="RerankResponse.ModelId"/>
/// is <c>first-stage</c>, and every non-empty response says which scores it holds under
/// <see cref="RerankResponseProperties.SelectiveSkipped"/>, <see cref="RerankResponseProperties.SelectiveScoreSource"/>
/// and <see cref="RerankResponseProperties.SelectiveDecidedBy"/>; <c>UseOpenTelemetry</c> above this layer counts both
/// outcomes in <see cref="RerankTelemetry.SelectiveCallsMetric"/>.
/// </para>
/// <para>
/// Because the scores a caller receives come from the reranker for some candidate sets and from the first stage for
/// others, the layer's metadata declares <see cref="RerankScoreSemantics.CandidateSetDependent"/>: a cache, batching or
/// long-document layer above it is refused at build; put them below it, around the model. Disposing this layer
/// disposes the inner reranker (it owns what it is built around); policies hold no resources.
/// </para>
/// </remarks>
public sealed class SelectiveReranker : DelegatingReranker
{
    /// <summary>The model id of a skipped call's response.</summary>
    public const string FirstStageModelId = "first-stage";

    private readonly SelectiveRerankingPolicy[] _policies;
    private readonly RerankerMetadata _metadata;

    /// <summary>Initializes a new instance of the <see cref="SelectiveReranker"/> class.</summary>
    /// <param name="innerReranker">The expensive reranker, called unless the policies skip it.</param>
    /// <param name="policies">The policies, at least one.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerReranker"/> or <paramref name="policies"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="policies"/> is empty or contains <see langword="null"/>.</exception>
    public SelectiveReranker(IReranker innerReranker, IEnumerable<SelectiveRerankingPolicy> policies)
        : base(innerReranker)
    {
        ArgumentNullException.ThrowIfNull(policies);
        _policies = [.. policies];
        if (_policies.Length == 0)
        {
            throw new ArgumentException("Selective reranking needs at least one policy; without one it would rerank every call. Remove the layer instead.", nameof(policies));
        }

        for (int i = 0; i < _policies.Length; i++)
        {
            if (_policies[i] is null)
            {
                throw new ArgumentException($"The policy at index {i} is null.", nameof(policies));
            }
        }

        RerankerMetadata? inner = innerReranker.GetService<RerankerMetadata>();
        _metadata = new RerankerMetadata(inner?.ProviderName, inner?.ProviderUri, inner?.DefaultModelId)
        {
            // Some calls carry the first stage's scores, others the model's: no document has one score a cache could key on.
            ScoreSemantics = RerankScoreSemantics.CandidateSetDependent,
            ScoringFingerprint = $"selective[{string.Join(",", _policies.Select(p => p.Name))}]>{Fingerprints.Of(innerReranker, out _)}",
        };
    }

    /// <summary>Gets the policies, in the order they are asked.</summary>
    public IReadOnlyList<SelectiveRerankingPolicy> Policies => _policies;

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

        double[]? scores = FirstStageScores(list);
        (bool skip, string decidedBy) = Decide(query, list, options, scores);
        RerankResponse response;
        if (skip)
        {
            response = new RerankResponse(RerankContract.Rank(list, scores, options)) { ModelId = FirstStageModelId };
        }
        else
        {
            RerankResponse inner = await InnerReranker.RerankAsync(query, list, options, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"The inner reranker {InnerReranker.GetType().FullName} returned a null response.");
            response = ResponseProperties.From(inner.Results, inner);
        }

        ResponseProperties.Set(response, RerankResponseProperties.SelectiveSkipped, skip);
        ResponseProperties.Set(response, RerankResponseProperties.SelectiveScoreSource, skip ? SelectiveScoreSources.FirstStage : SelectiveScoreSources.Reranker);
        ResponseProperties.Set(response, RerankResponseProperties.SelectiveDecidedBy, decidedBy);
        return response;
    }

    /// <inheritdoc />
    /// <remarks>Answers <see cref="RerankerMetadata"/> of its own: the inner provider and model, set-dependent semantics, and a fingerprint of the policies and the inner reranker.</remarks>
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType == typeof(RerankerMetadata) ? _metadata : base.GetService(serviceType, serviceKey);
    }

    private static double[]? FirstStageScores(IReadOnlyList<RerankDocument> list)
    {
        var scores = new double[list.Count];
        for (int i = 0; i < scores.Length; i++)
        {
            if (list[i].Score is not double score || !double.IsFinite(score))
            {
                return null;
            }

            scores[i] = score;
        }

        return scores;
    }

    private (bool Skip, string DecidedBy) Decide(string query, IReadOnlyList<RerankDocument> list, RerankOptions? options, double[]? scores)
    {
        if (options?.ScoreThreshold is not null)
        {
            return (false, SelectiveScoreSources.ScoreThresholdReason);
        }

        if (scores is null)
        {
            return (false, SelectiveScoreSources.MissingScoresReason);
        }

        double[] descending = (double[])scores.Clone();
        Array.Sort(descending, static (a, b) => b.CompareTo(a));
        var context = new SelectiveRerankingContext(query, list, options, descending);
        SelectiveRerankingPolicy? skipper = null;
        foreach (SelectiveRerankingPolicy policy in _policies)
        {
            SelectiveRerankingVerdict verdict;
            try
            {
                verdict = policy.Evaluate(context);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new InvalidOperationException($"The selective-reranking policy '{policy.Name}' threw {ex.GetType().Name}: {ex.Message}", ex);
            }

            if (verdict == SelectiveRerankingVerdict.Rerank)
            {
                return (false, policy.Name);
            }

            if (verdict == SelectiveRerankingVerdict.Skip)
            {
                skipper ??= policy;
            }
        }

        return skipper is null ? (false, SelectiveScoreSources.NoPolicyReason) : (true, skipper.Name);
    }
}
