namespace Rerank.Testing;

/// <summary>
/// A small deterministic reranker for tests: the score is the share of query words found in the document, plus a
/// tiny length term so that different texts rarely tie. Identical texts always get identical scores. It counts its
/// backend calls, honours cancellation between documents and keeps the whole contract.
/// </summary>
public sealed class TestReranker : IReranker
{
    private long _backendCalls;
    private int _disposed;

    /// <summary>Gets the number of calls that reached the scoring "backend".</summary>
    public long BackendCalls => Interlocked.Read(ref _backendCalls);

    /// <summary>Gets or sets a delay per call, to simulate a slow model; zero by default.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>Gets or sets the model id reported.</summary>
    public string ModelId { get; set; } = "test-lexical";

    /// <summary>Gets or sets the score semantics the metadata declares.</summary>
    /// <value>
    /// <see cref="RerankScoreSemantics.Pointwise"/> by default, which is true of its scores. Tests of the layers that
    /// require pointwise scores set another value to check that they refuse it.
    /// </value>
    public RerankScoreSemantics ScoreSemantics { get; set; } = RerankScoreSemantics.Pointwise;

    /// <summary>Gets or sets the scoring fingerprint the metadata declares; <c>test-lexical(model=…)</c> by default.</summary>
    public string? ScoringFingerprint { get; set; }

    /// <summary>Gets a value indicating whether the instance was disposed.</summary>
    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>Scores one pair, as the reranker would.</summary>
    public static double Score(string query, string document)
    {
        string[] queryWords = Words(query);
        var documentWords = new HashSet<string>(Words(document), StringComparer.Ordinal);
        int hits = queryWords.Count(documentWords.Contains);
        return queryWords.Length == 0 ? 0 : ((double)hits / queryWords.Length) + (1.0 / (10 + document.Length));
    }

    /// <inheritdoc />
    public async Task<RerankResponse> RerankAsync(string query, IEnumerable<RerankDocument> documents, RerankOptions? options = null, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<RerankDocument> list = RerankContract.ValidateArguments(query, documents, options);
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (list.Count == 0)
        {
            return new RerankResponse([]) { ModelId = options?.ModelId ?? ModelId };
        }

        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _backendCalls);
        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await Task.Yield();
        }

        var scores = new double[list.Count];
        for (int i = 0; i < scores.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            scores[i] = Score(query, list[i].Text);
        }

        return new RerankResponse(RerankContract.Rank(list, scores, options))
        {
            ModelId = options?.ModelId ?? ModelId,
            Usage = new RerankUsage { InputTokenCount = list.Sum(d => Words(d.Text).Length) + Words(query).Length },
        };
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        return serviceType == typeof(RerankerMetadata)
                ? new RerankerMetadata("test", null, ModelId) { ScoreSemantics = ScoreSemantics, ScoringFingerprint = ScoringFingerprint ?? $"test-lexical(model={ModelId})" }
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <inheritdoc />
    public void Dispose() => Interlocked.Exchange(ref _disposed, 1);

    private static string[] Words(string text) =>
        text.ToLowerInvariant().Split([' ', '\t', '\n', '\r', ',', '.', '?', '!', ';', ':'], StringSplitOptions.RemoveEmptyEntries);
}
