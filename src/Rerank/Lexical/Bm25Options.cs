namespace Rerank;

/// <summary>Settings of BM25 scoring, for <see cref="Bm25Reranker"/> and the BM25 signal of <see cref="HybridRerankerBuilder"/>.</summary>
/// <remarks>The values are read and checked once, when the reranker is created; changing the instance later has no effect on it.</remarks>
public sealed class Bm25Options
{
    /// <summary>Gets or sets k1, which controls how quickly repeated occurrences of a term stop adding to the score.</summary>
    /// <value>1.2 by default; must be finite and at least 0 (0 ignores term frequency).</value>
    public double K1 { get; set; } = 1.2;

    /// <summary>Gets or sets b, how strongly long documents are penalised relative to the average length.</summary>
    /// <value>0.75 by default; from 0 (no length normalisation) to 1 (full).</value>
    public double B { get; set; } = 0.75;

    /// <summary>Gets or sets the analyser that tokenizes the query and the documents.</summary>
    /// <value><see cref="TextAnalyzer.Default"/> when <see langword="null"/> (the default).</value>
    public TextAnalyzer? Analyzer { get; set; }

    /// <summary>Gets or sets statistics of the whole corpus, used instead of statistics of the candidate set.</summary>
    /// <value>
    /// <see langword="null"/> (the default) computes document count, average length and document frequencies over the
    /// documents of each call, which needs no index but makes a term that every candidate contains weigh little.
    /// </value>
    public Bm25CorpusStatistics? CorpusStatistics { get; set; }

    /// <summary>Checks the values and throws if one is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="K1"/> or <see cref="B"/> is out of range.</exception>
    internal void Validate()
    {
        if (!double.IsFinite(K1) || K1 < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(K1), K1, "Bm25Options.K1 must be a finite number of at least 0 (1.2 is the usual value).");
        }

        if (!double.IsFinite(B) || B is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(B), B, "Bm25Options.B must be between 0 and 1 (0.75 is the usual value).");
        }
    }
}
