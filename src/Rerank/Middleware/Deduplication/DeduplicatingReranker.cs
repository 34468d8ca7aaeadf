namespace Rerank;

/// <summary>
/// Scores identical texts once: the inner reranker receives each distinct text one time (the first document that has
/// it), and every document with that text gets its score, at its own index.
/// </summary>
/// <remarks>
/// Useful before a costly reranker when the first stage returns the same passage several times (chunks indexed twice,
/// mirrored pages). Ties between duplicates keep input order, as the contract requires. When a call has no duplicates
/// it is passed through unchanged. The number of documents not scored again is reported under
/// <see cref="RerankResponseProperties.DuplicateDocuments"/>.
/// <para>
/// Only a reranker that declares <see cref="RerankScoreSemantics.Pointwise"/> scores is deduplicated: for any other,
/// removing a duplicate would change the candidate set and so the other documents' scores (BM25's document frequencies,
/// first-stage positions), and every call is passed through unchanged. The layer answers the inner reranker's
/// <see cref="RerankerMetadata"/>: it changes no score.
/// </para>
/// </remarks>
public sealed class DeduplicatingReranker : DelegatingReranker
{
    private readonly IEqualityComparer<string> _comparer;
    private readonly bool _pointwise;

    /// <summary>Initializes a new instance of the <see cref="DeduplicatingReranker"/> class.</summary>
    /// <param name="innerReranker">The reranker that scores the distinct texts.</param>
    /// <param name="comparer">When two texts are the same; <see cref="StringComparer.Ordinal"/> (exact equality) if <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerReranker"/> is <see langword="null"/>.</exception>
    public DeduplicatingReranker(IReranker innerReranker, IEqualityComparer<string>? comparer = null)
        : base(innerReranker)
    {
        _comparer = comparer ?? StringComparer.Ordinal;
        _pointwise = Fingerprints.SemanticsOf(innerReranker) == RerankScoreSemantics.Pointwise;
    }

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

        if (!_pointwise)
        {
            // Removing a duplicate changes the candidate set, and so every score of a set-dependent reranker.
            return await InnerReranker.RerankAsync(query, list, options, cancellationToken).ConfigureAwait(false);
        }

        var firstIndex = new Dictionary<string, int>(list.Count, _comparer);
        var distinctOf = new int[list.Count];
        List<RerankDocument> distinct = new(list.Count);
        for (int i = 0; i < list.Count; i++)
        {
            if (!firstIndex.TryGetValue(list[i].Text, out int slot))
            {
                slot = distinct.Count;
                firstIndex.Add(list[i].Text, slot);
                distinct.Add(list[i]);
            }

            distinctOf[i] = slot;
        }

        if (distinct.Count == list.Count)
        {
            return await InnerReranker.RerankAsync(query, list, options, cancellationToken).ConfigureAwait(false);
        }

        var distinctScores = new double[distinct.Count];
        RerankResponse inner = await InnerScoring.ScoreAsync(InnerReranker, query, distinct, InnerScoring.ForAllScores(options), distinctScores, 0, cancellationToken).ConfigureAwait(false);

        var scores = new double[list.Count];
        for (int i = 0; i < scores.Length; i++)
        {
            scores[i] = distinctScores[distinctOf[i]];
        }

        RerankResponse response = ResponseProperties.From(RerankContract.Rank(list, scores, options), inner);
        ResponseProperties.AddCount(response, RerankResponseProperties.DuplicateDocuments, list.Count - distinct.Count);
        return response;
    }
}
