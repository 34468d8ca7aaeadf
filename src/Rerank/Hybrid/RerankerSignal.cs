namespace Rerank;

/// <summary>The scores of another <see cref="IReranker"/> (a cross-encoder, Cohere, an LLM), mapped back by <see cref="RerankResult.Index"/>.</summary>
internal sealed class RerankerSignal(IReranker reranker) : HybridSignal
{
    public IReranker Reranker { get; } = reranker;

    public override string DefaultName
    {
        get
        {
            RerankerMetadata? metadata = Reranker.GetService<RerankerMetadata>();
            return string.IsNullOrWhiteSpace(metadata?.DefaultModelId) ? "reranker" : metadata.DefaultModelId;
        }
    }

    public override bool IsAsynchronous => true;

    public override RerankScoreSemantics ScoreSemantics => Fingerprints.SemanticsOf(Reranker);

    public override string Fingerprint => Fingerprints.Of(Reranker, out _);

    public override async ValueTask<SignalScores> ScoreAsync(string query, IReadOnlyList<RerankDocument> documents, RerankOptions? options, CancellationToken cancellationToken)
    {
        RerankResponse response = await Reranker.RerankAsync(query, documents, options, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("The reranker returned a null response.");

        var values = new double[documents.Count];
        values.AsSpan().Fill(double.NaN);
        var seen = new bool[documents.Count];
        foreach (RerankResult result in response.Results)
        {
            if ((uint)result.Index >= (uint)values.Length || seen[result.Index])
            {
                throw new InvalidOperationException($"The reranker returned index {result.Index} for {values.Length} documents, out of range or twice.");
            }

            // A document the reranker left out keeps NaN, and is then handled as a missing value.
            seen[result.Index] = true;
            values[result.Index] = result.Score;
        }

        return new SignalScores(values, response.Usage);
    }

    public override object? GetService(Type serviceType, object? serviceKey) => Reranker.GetService(serviceType, serviceKey);
}
