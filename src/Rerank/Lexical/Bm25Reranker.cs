namespace Rerank;

/// <summary>
/// A model-free lexical reranker: Okapi BM25 over the candidates. It needs no model file, no network and no GPU, so it
/// is the natural last fallback of a pipeline, and a signal of <see cref="HybridReranker"/>.
/// </summary>
/// <remarks>
/// <para>
/// score(D, Q) = Σ over query tokens t of idf(t) · tf(t, D) · (k1 + 1) / (tf(t, D) + k1 · (1 − b + b · |D| / avgdl)),
/// with idf(t) = ln(1 + (N − n(t) + 0.5) / (n(t) + 0.5)) as in Lucene, which is never negative. N is the number of
/// documents, n(t) how many contain t, avgdl their average length in tokens: taken from the candidates of each call,
/// or from <see cref="Bm25Options.CorpusStatistics"/>. A term repeated in the query counts once per occurrence.
/// </para>
/// <para>
/// Scores are at least 0 and unbounded above; a document with no query term, an empty document, and every document of
/// a query that has no tokens (only punctuation or stop words) score 0. Because N, avgdl and n(t) come from the
/// candidate set, a document's score depends on which other documents are in the call, not on their order.
/// </para>
/// <para>
/// Its metadata says so: <see cref="RerankScoreSemantics.CandidateSetDependent"/> by default, so the caching, batching,
/// long-document and coalescing layers refuse it; <see cref="RerankScoreSemantics.Pointwise"/> when
/// <see cref="Bm25Options.CorpusStatistics"/> are given, because each score then depends only on the query and the document.
/// </para>
/// <para>Scoring runs synchronously on the calling thread; it is thread-safe, and one instance may be shared.</para>
/// </remarks>
/// <example>
/// <code>
/// using IReranker bm25 = new Bm25Reranker(new Bm25Options { Analyzer = TextAnalyzer.English });
/// RerankResponse response = await bm25.RerankAsync("solar energy", ["Solar panels...", "Bread recipes..."]);
/// </code>
/// </example>
public sealed class Bm25Reranker : IReranker
{
    /// <summary>The model id reported in <see cref="RerankResponse.ModelId"/> and <see cref="RerankerMetadata"/>.</summary>
    public const string ModelId = "bm25";

    private readonly Bm25Scorer _scorer;
    private readonly RerankerMetadata _metadata;
    private long _scoringCalls;
    private int _disposed;

    /// <summary>Initializes a new instance of the <see cref="Bm25Reranker"/> class.</summary>
    /// <param name="options">The BM25 settings, or <see langword="null"/> for k1 = 1.2, b = 0.75 and <see cref="TextAnalyzer.Default"/>. Read once.</param>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="Bm25Options.K1"/> or <see cref="Bm25Options.B"/> is out of range.</exception>
    public Bm25Reranker(Bm25Options? options = null)
    {
        _scorer = new Bm25Scorer(options);
        _metadata = new RerankerMetadata("bm25", null, ModelId) { ScoreSemantics = _scorer.ScoreSemantics, ScoringFingerprint = _scorer.Fingerprint };
    }

    /// <summary>Gets the analyser that tokenizes queries and documents.</summary>
    public TextAnalyzer Analyzer => _scorer.Analyzer;

    /// <summary>Gets the number of calls that reached scoring (after validation and the empty-input shortcut), for tests.</summary>
    internal long ScoringCalls => Interlocked.Read(ref _scoringCalls);

    /// <inheritdoc />
    public Task<RerankResponse> RerankAsync(
        string query,
        IEnumerable<RerankDocument> documents,
        RerankOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        // The work is synchronous; failures still travel in the task, as they would from an async provider.
        try
        {
            IReadOnlyList<RerankDocument> list = RerankContract.ValidateArguments(query, documents, options);
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            if (list.Count == 0)
            {
                return Task.FromResult(new RerankResponse([]) { ModelId = ModelId });
            }

            cancellationToken.ThrowIfCancellationRequested();
            Interlocked.Increment(ref _scoringCalls);
            double[] scores = _scorer.Score(query, list, cancellationToken);
            return Task.FromResult(new RerankResponse(RerankContract.Rank(list, scores, options)) { ModelId = ModelId });
        }
        catch (OperationCanceledException ex) when (ex.CancellationToken == cancellationToken && cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<RerankResponse>(cancellationToken);
        }
        catch (Exception ex)
        {
            return Task.FromException<RerankResponse>(ex);
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        return serviceType == typeof(RerankerMetadata) ? _metadata
            : serviceType == typeof(TextAnalyzer) ? _scorer.Analyzer
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <inheritdoc />
    /// <remarks>Holds no unmanaged resources; after disposal calls throw <see cref="ObjectDisposedException"/>.</remarks>
    public void Dispose() => Interlocked.Exchange(ref _disposed, 1);
}
