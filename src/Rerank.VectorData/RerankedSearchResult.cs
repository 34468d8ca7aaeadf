namespace Rerank.VectorData;

/// <summary>A record of a vector store search after reranking: the record, its final score and rank, and where the first stage had put it.</summary>
/// <typeparam name="TRecord">The record type of the collection.</typeparam>
public sealed class RerankedSearchResult<TRecord>
{
    /// <summary>Initializes a new instance of the <see cref="RerankedSearchResult{TRecord}"/> class.</summary>
    /// <param name="record">The record, as the collection returned it.</param>
    /// <param name="score">The reranker's score.</param>
    /// <param name="rank">The 1-based rank after reranking.</param>
    /// <param name="firstStageScore">The collection's score, or <see langword="null"/> when it gave none.</param>
    /// <param name="firstStageRank">The 1-based rank the collection gave the record.</param>
    public RerankedSearchResult(TRecord record, double score, int rank, double? firstStageScore, int firstStageRank)
    {
        Record = record;
        Score = score;
        Rank = rank;
        FirstStageScore = firstStageScore;
        FirstStageRank = firstStageRank;
    }

    /// <summary>Gets the record, as the collection returned it.</summary>
    public TRecord Record { get; }

    /// <summary>Gets the reranker's score.</summary>
    public double Score { get; }

    /// <summary>Gets the 1-based rank after reranking.</summary>
    public int Rank { get; }

    /// <summary>Gets the collection's score (a similarity or a distance, as the collection defines it), or <see langword="null"/> when it gave none.</summary>
    /// <remarks>It is also passed to the reranker as <see cref="RerankDocument.Score"/>, for hybrid fusion and first-stage fallbacks.</remarks>
    public double? FirstStageScore { get; }

    /// <summary>Gets the 1-based rank the collection gave the record.</summary>
    public int FirstStageRank { get; }

    /// <summary>Gets how the reranker's score was made, when it explains itself (hybrid fusion); otherwise <see langword="null"/>.</summary>
    public IReadOnlyList<RerankScoreComponent>? ScoreComponents { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"#{Rank} (first stage #{FirstStageRank}) {Score:G6}: {Record}";
}
