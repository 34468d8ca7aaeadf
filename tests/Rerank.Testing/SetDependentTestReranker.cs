namespace Rerank.Testing;

/// <summary>
/// A reranker whose scores depend on the candidate set, as BM25 over the candidates or min-max fusion do: each
/// document's <see cref="TestReranker.Score"/> divided by the sum over the call, so the same document scores differently
/// next to other candidates (and when a duplicate is added or removed). It declares <see cref="RerankScoreSemantics.CandidateSetDependent"/>, which the layers that
/// cache, split, chunk or coalesce must refuse or handle correctly.
/// </summary>
public sealed class SetDependentTestReranker : IReranker
{
    private long _backendCalls;
    private int _disposed;

    /// <summary>Gets the number of calls that reached scoring.</summary>
    public long BackendCalls => Interlocked.Read(ref _backendCalls);

    /// <summary>Gets or sets the semantics declared; <see cref="RerankScoreSemantics.CandidateSetDependent"/>, the truth, by default.</summary>
    public RerankScoreSemantics DeclaredSemantics { get; set; } = RerankScoreSemantics.CandidateSetDependent;

    /// <summary>Scores a candidate set as the reranker does.</summary>
    /// <param name="query">The query.</param>
    /// <param name="texts">The candidates.</param>
    /// <returns>One score per candidate, in input order.</returns>
    public static double[] Scores(string query, IReadOnlyList<string> texts)
    {
        double[] raw = [.. texts.Select(t => TestReranker.Score(query, t))];
        double total = raw.Sum();
        return [.. raw.Select(r => total > 0 ? r / total : 0)];
    }

    /// <inheritdoc />
    public async Task<RerankResponse> RerankAsync(string query, IEnumerable<RerankDocument> documents, RerankOptions? options = null, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<RerankDocument> list = RerankContract.ValidateArguments(query, documents, options);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (list.Count == 0)
        {
            return new RerankResponse([]);
        }

        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _backendCalls);
        await Task.Yield();
        double[] scores = Scores(query, [.. list.Select(d => d.Text)]);
        return new RerankResponse(RerankContract.Rank(list, scores, options)) { ModelId = "set-dependent" };
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(RerankerMetadata) ? new RerankerMetadata("test", null, "set-dependent") { ScoreSemantics = DeclaredSemantics, ScoringFingerprint = "set-dependent-test" }
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <inheritdoc />
    public void Dispose() => Interlocked.Exchange(ref _disposed, 1);
}
