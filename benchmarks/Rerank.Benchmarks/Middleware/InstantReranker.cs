namespace Rerank.Benchmarks.Middleware;

/// <summary>
/// A "model" that costs next to nothing (the score is a hash of the text), so that what the benchmarks measure is the
/// middleware around it: it validates, scores and ranks like a provider, and completes synchronously.
/// </summary>
internal sealed class InstantReranker : IReranker
{
    private static readonly RerankerMetadata Metadata = new("instant", null, "instant-1")
    {
        ScoreSemantics = RerankScoreSemantics.Pointwise,
        ScoringFingerprint = "instant-1",
    };

    public Task<RerankResponse> RerankAsync(string query, IEnumerable<RerankDocument> documents, RerankOptions? options = null, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<RerankDocument> list = RerankContract.ValidateArguments(query, documents, options);
        if (list.Count == 0)
        {
            return Task.FromResult(new RerankResponse([]));
        }

        var scores = new double[list.Count];
        for (int i = 0; i < scores.Length; i++)
        {
            scores[i] = (uint)list[i].Text.GetHashCode(StringComparison.Ordinal) / (double)uint.MaxValue;
        }

        return Task.FromResult(new RerankResponse(RerankContract.Rank(list, scores, options)) { ModelId = "instant-1", Usage = new RerankUsage { InputTokenCount = list.Count * 80 } });
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(RerankerMetadata) ? Metadata
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }
}
