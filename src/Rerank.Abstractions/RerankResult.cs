namespace Rerank;

/// <summary>One reranked document.</summary>
public sealed class RerankResult
{
    /// <summary>Initializes a new instance of the <see cref="RerankResult"/> class.</summary>
    /// <param name="index">The document's position in the caller's input.</param>
    /// <param name="score">The relevance score, on the reranker's own scale; higher is more relevant.</param>
    /// <param name="document">The caller's document.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is negative.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="document"/> is <see langword="null"/>.</exception>
    public RerankResult(int index, double score, RerankDocument document)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentNullException.ThrowIfNull(document);
        Index = index;
        Score = score;
        Document = document;
    }

    /// <summary>Gets the document's position in the caller's input.</summary>
    public int Index { get; }

    /// <summary>Gets the relevance score; higher is more relevant.</summary>
    public double Score { get; }

    /// <summary>Gets the caller's document.</summary>
    public RerankDocument Document { get; }

    /// <summary>Gets or sets the signals that made up the score, for rerankers that fuse several; otherwise <see langword="null"/>.</summary>
    public IReadOnlyList<RerankScoreComponent>? ScoreComponents { get; set; }

    /// <inheritdoc />
    public override string ToString() => $"#{Index} {Score:G6}";
}
