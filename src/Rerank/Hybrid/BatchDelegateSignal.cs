namespace Rerank;

/// <summary>A custom signal computed asynchronously for all documents at once by a caller's delegate (a feature store, a second model).</summary>
internal sealed class BatchDelegateSignal(
    string name,
    Func<string, IReadOnlyList<RerankDocument>, CancellationToken, ValueTask<IReadOnlyList<double>>> scoreAsync) : HybridSignal
{
    public override string DefaultName => name;

    public override bool IsAsynchronous => true;

    public override string Fingerprint => $"delegate({Fingerprints.Delegate(scoreAsync)})";

    public override async ValueTask<SignalScores> ScoreAsync(string query, IReadOnlyList<RerankDocument> documents, RerankOptions? options, CancellationToken cancellationToken)
    {
        IReadOnlyList<double>? scores = await scoreAsync(query, documents, cancellationToken).ConfigureAwait(false);
        if (scores is null || scores.Count != documents.Count)
        {
            throw new InvalidOperationException($"The signal returned {scores?.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null"} scores for {documents.Count} documents; it must return one per document, NaN for none.");
        }

        return new SignalScores([.. scores]);
    }
}
