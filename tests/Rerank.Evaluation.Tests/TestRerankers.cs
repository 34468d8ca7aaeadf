namespace Rerank.Evaluation.Tests;

/// <summary>Rerankers for experiment tests: scores from a function of (query, document), with declared metadata.</summary>
internal sealed class FunctionReranker(string name, Func<string, RerankDocument, double> score, Action<int>? onCall = null) : IReranker
{
    private int _calls;

    public int Calls => _calls;

    public Task<RerankResponse> RerankAsync(string query, IEnumerable<RerankDocument> documents, RerankOptions? options = null, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<RerankDocument> list = RerankContract.ValidateArguments(query, documents, options);
        onCall?.Invoke(Interlocked.Increment(ref _calls));
        cancellationToken.ThrowIfCancellationRequested();
        double[] scores = [.. list.Select(document => score(query, document))];
        return Task.FromResult(new RerankResponse(RerankContract.Rank(list, scores, options))
        {
            ModelId = name,
            Usage = new RerankUsage { InputTokenCount = list.Count, TotalTokenCount = list.Count },
        });
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(RerankerMetadata) ? new RerankerMetadata("test", null, name) { ScoreSemantics = RerankScoreSemantics.Pointwise, ScoringFingerprint = "test:" + name }
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }
}
