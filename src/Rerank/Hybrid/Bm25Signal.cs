namespace Rerank;

/// <summary>BM25 of each candidate against the query, over the candidate set or the given corpus statistics.</summary>
internal sealed class Bm25Signal(Bm25Options? options) : HybridSignal
{
    private readonly Bm25Scorer _scorer = new(options);

    public override string DefaultName => "bm25";

    public override bool IsAsynchronous => false;

    public override RerankScoreSemantics ScoreSemantics => _scorer.ScoreSemantics;

    public override string Fingerprint => _scorer.Fingerprint;

    public override ValueTask<SignalScores> ScoreAsync(string query, IReadOnlyList<RerankDocument> documents, RerankOptions? options, CancellationToken cancellationToken) =>
        new(new SignalScores(_scorer.Score(query, documents, cancellationToken)));
}
