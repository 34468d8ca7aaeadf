namespace Rerank;

/// <summary>The first-stage retrieval score carried by <see cref="RerankDocument.Score"/>; a document without one has no value.</summary>
internal sealed class FirstStageScoreSignal : HybridSignal
{
    public override string DefaultName => "first_stage";

    public override bool IsAsynchronous => false;

    public override string Fingerprint => "first-stage-score";

    public override ValueTask<SignalScores> ScoreAsync(string query, IReadOnlyList<RerankDocument> documents, RerankOptions? options, CancellationToken cancellationToken)
    {
        var values = new double[documents.Count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = documents[i].Score ?? double.NaN;
        }

        return new(new SignalScores(values));
    }
}
