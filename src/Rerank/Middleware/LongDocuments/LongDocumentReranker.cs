namespace Rerank;

/// <summary>
/// Scores documents longer than the model's window: each is split into overlapping chunks, every chunk is scored, and
/// the chunk scores are pooled into the document's score (max, mean or top-k mean).
/// </summary>
/// <remarks>
/// <para>
/// A cross-encoder truncates what does not fit its window, so the answer at the end of a long document is never seen.
/// This layer sends the chunks instead, all in one inner call (put <c>UseBatching</c> below it to bound that call).
/// Documents that fit are sent as they are, as the caller's own instances; chunks carry the original document's
/// <see cref="RerankDocument.Id"/>, first-stage score and metadata.
/// </para>
/// <para>
/// The response says which chunk won: <see cref="RerankResponseProperties.LongDocumentMatches"/> maps each chunked
/// document's text to a <see cref="LongDocumentMatch"/>, and each chunked result carries one
/// <see cref="RerankScoreComponent"/> per chunk whose weights reproduce the pooled score.
/// <see cref="RerankResponseProperties.ChunkedDocuments"/> counts the documents that were split.
/// </para>
/// <para>
/// <b>Bounds.</b> A document makes at most <see cref="LongDocumentRerankerOptions.MaxChunksPerDocument"/> chunks: the
/// rest of its text is not scored, and the response counts such documents under
/// <see cref="RerankResponseProperties.LongDocumentsCutDocuments"/> and <see cref="RerankResponseProperties.TruncatedDocuments"/>.
/// A call whose long documents would make more than <see cref="LongDocumentRerankerOptions.MaxChunksPerRequest"/> chunks is refused with
/// an <see cref="ArgumentException"/> before anything is scored.
/// </para>
/// <para>
/// <b>Score semantics.</b> Chunks become candidates of one inner call, so the inner reranker must declare
/// <see cref="RerankScoreSemantics.Pointwise"/> scores; over any other the constructor (and so <c>Build()</c>) throws
/// <see cref="InvalidOperationException"/>. The layer answers <see cref="RerankerMetadata"/> of its own, pointwise, whose
/// fingerprint adds its settings to the inner reranker's, so a score cache above it keeps pooled scores apart.
/// </para>
/// </remarks>
public sealed class LongDocumentReranker : DelegatingReranker
{
    private readonly TextChunker _chunker;
    private readonly int _window;
    private readonly LongDocumentPooling _pooling;
    private readonly int _topK;
    private readonly int _maxChunksPerDocument;
    private readonly int _maxChunksPerRequest;
    private readonly RerankerMetadata _metadata;

    /// <summary>Initializes a new instance of the <see cref="LongDocumentReranker"/> class.</summary>
    /// <param name="innerReranker">The reranker that scores the chunks.</param>
    /// <param name="options">The window, overlap, length function and pooling; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerReranker"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="innerReranker"/> does not declare <see cref="RerankScoreSemantics.Pointwise"/> scores.</exception>
    public LongDocumentReranker(IReranker innerReranker, LongDocumentRerankerOptions? options = null)
        : base(innerReranker)
    {
        options ??= new LongDocumentRerankerOptions();
        options.Validate();
        _window = options.WindowSize;
        _pooling = options.Pooling;
        _topK = options.TopK;
        _maxChunksPerDocument = options.MaxChunksPerDocument;
        _maxChunksPerRequest = options.MaxChunksPerRequest;
        _chunker = new TextChunker(options.WindowSize, options.Overlap, options.LengthFunction);
        PointwiseRequirement.Check(
            innerReranker,
            "UseLongDocuments",
            "sends each chunk of a long document as a candidate of its own, next to the other documents' chunks",
            "put UseLongDocuments below it, around a pointwise reranker (a cross-encoder, Cohere), or leave long documents to the reranker's own truncation");

        // Chunking and pooling change the scores: a cache above this layer must keep them apart from the inner reranker's.
        RerankerMetadata inner = innerReranker.GetService<RerankerMetadata>()!;
        string settings = string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"long-documents(window={options.WindowSize},overlap={options.Overlap},length={Fingerprints.Delegate(options.LengthFunction)},pooling={options.Pooling},top-k={options.TopK},max-chunks={options.MaxChunksPerDocument})");
        _metadata = new RerankerMetadata(inner.ProviderName, inner.ProviderUri, inner.DefaultModelId)
        {
            ScoreSemantics = RerankScoreSemantics.Pointwise,
            ScoringFingerprint = $"{settings}/{Fingerprints.Of(innerReranker, out _)}",
        };
    }

    /// <inheritdoc />
    /// <remarks>Answers <see cref="RerankerMetadata"/> of its own: the inner reranker's, with a fingerprint that adds the window, overlap, length function, pooling and chunk cap.</remarks>
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType == typeof(RerankerMetadata) ? _metadata : base.GetService(serviceType, serviceKey);
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

        // For each document, its chunks' place in the inner call: [first, first + count).
        var first = new int[list.Count];
        var count = new int[list.Count];
        var chunkSpans = new List<(int Start, int Length)>?[list.Count];
        var inner = new List<RerankDocument>(list.Count);
        int chunked = 0, cut = 0, chunks = 0;
        for (int i = 0; i < list.Count; i++)
        {
            RerankDocument document = list[i];
            first[i] = inner.Count;
            if (_chunker.Measure(document.Text) <= _window)
            {
                inner.Add(document);
                count[i] = 1;
                continue;
            }

            cancellationToken.ThrowIfCancellationRequested();
            List<(int Start, int Length)> spans = _chunker.Split(document.Text, _maxChunksPerDocument, out bool complete);
            chunkSpans[i] = spans;
            count[i] = spans.Count;
            chunked++;
            cut += complete ? 0 : 1;
            chunks += spans.Count;
            if (chunks > _maxChunksPerRequest)
            {
                throw new ArgumentException(
                    $"The long documents of this call make more than LongDocumentRerankerOptions.MaxChunksPerRequest ({_maxChunksPerRequest}) chunks (document {i} makes {spans.Count}, after {chunks - spans.Count} from the documents before it). Send fewer or shorter documents, or raise MaxChunksPerRequest.",
                    nameof(documents));
            }

            foreach ((int start, int length) in spans)
            {
                inner.Add(new RerankDocument(document.Text.Substring(start, length)) { Id = document.Id, Score = document.Score, Metadata = document.Metadata });
            }
        }

        if (chunked == 0)
        {
            return await InnerReranker.RerankAsync(query, list, options, cancellationToken).ConfigureAwait(false);
        }

        var chunkScores = new double[inner.Count];
        RerankResponse innerResponse = await InnerScoring.ScoreAsync(InnerReranker, query, inner, InnerScoring.ForAllScores(options), chunkScores, 0, cancellationToken).ConfigureAwait(false);

        var scores = new double[list.Count];
        var matches = new Dictionary<string, LongDocumentMatch>(StringComparer.Ordinal);
        var components = new RerankScoreComponent[]?[list.Count];
        for (int i = 0; i < list.Count; i++)
        {
            double[] own = chunkScores[first[i]..(first[i] + count[i])];
            if (chunkSpans[i] is not { } spans)
            {
                scores[i] = own[0];
                continue;
            }

            double[] weights = Weights(own);
            scores[i] = Pool(own, weights);
            int best = BestChunk(own);
            matches[list[i].Text] = new LongDocumentMatch(spans.Count, best, spans[best].Start, spans[best].Length, own[best]);
            components[i] = new RerankScoreComponent[spans.Count];
            for (int c = 0; c < spans.Count; c++)
            {
                components[i]![c] = new RerankScoreComponent($"chunk {c} [{spans[c].Start}..{spans[c].Start + spans[c].Length})", own[c], own[c], weights[c]);
            }
        }

        IReadOnlyList<RerankResult> ranked = RerankContract.Rank(list, scores, options);
        foreach (RerankResult result in ranked)
        {
            result.ScoreComponents = components[result.Index];
        }

        RerankResponse response = ResponseProperties.From(ranked, innerResponse);
        ResponseProperties.AddCount(response, RerankResponseProperties.ChunkedDocuments, chunked);
        if (cut > 0)
        {
            ResponseProperties.AddCount(response, RerankResponseProperties.LongDocumentsCutDocuments, cut);
            ResponseProperties.AddCount(response, RerankResponseProperties.TruncatedDocuments, cut);
        }

        ResponseProperties.Merge(response, new Dictionary<string, object?> { [RerankResponseProperties.LongDocumentMatches] = (IReadOnlyDictionary<string, LongDocumentMatch>)matches });
        return response;
    }

    private static int BestChunk(double[] scores)
    {
        int best = 0;
        for (int c = 1; c < scores.Length; c++)
        {
            // NaN never wins; the first of equal scores does.
            if (scores[c] > scores[best] || double.IsNaN(scores[best]) && !double.IsNaN(scores[c]))
            {
                best = c;
            }
        }

        return best;
    }

    private static double Pool(double[] scores, double[] weights)
    {
        double pooled = 0, total = 0;
        for (int c = 0; c < scores.Length; c++)
        {
            if (weights[c] > 0)
            {
                pooled += weights[c] * scores[c];
                total += weights[c];
            }
        }

        return total == 0 ? double.NaN : pooled;
    }

    /// <summary>The weight of each chunk in the pooled score: the pooled score is the weighted sum.</summary>
    private double[] Weights(double[] scores)
    {
        var weights = new double[scores.Length];
        int[] ranked = [.. Enumerable.Range(0, scores.Length).Where(c => !double.IsNaN(scores[c]))];
        if (ranked.Length == 0)
        {
            return weights;
        }

        // Best first; the earlier chunk first among equals.
        Array.Sort(ranked, (a, b) =>
        {
            int order = scores[b].CompareTo(scores[a]);
            return order != 0 ? order : a.CompareTo(b);
        });
        int used = _pooling switch
        {
            LongDocumentPooling.Max => 1,
            LongDocumentPooling.TopKMean => Math.Min(_topK, ranked.Length),
            _ => ranked.Length,
        };

        for (int r = 0; r < used; r++)
        {
            weights[ranked[r]] = 1.0 / used;
        }

        return weights;
    }
}
