namespace Rerank;

/// <summary>A custom signal computed synchronously per document by a caller's delegate.</summary>
internal sealed class DocumentDelegateSignal(string name, Func<string, RerankDocument, double> score) : HybridSignal
{
    private const int CancellationCheckInterval = 64;

    public override string DefaultName => name;

    public override bool IsAsynchronous => false;

    public override string Fingerprint => $"delegate({Fingerprints.Delegate(score)})";

    public override ValueTask<SignalScores> ScoreAsync(string query, IReadOnlyList<RerankDocument> documents, RerankOptions? options, CancellationToken cancellationToken)
    {
        var values = new double[documents.Count];
        for (int i = 0; i < values.Length; i++)
        {
            if (i % CancellationCheckInterval == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            values[i] = score(query, documents[i]);
        }

        return new(new SignalScores(values));
    }
}
