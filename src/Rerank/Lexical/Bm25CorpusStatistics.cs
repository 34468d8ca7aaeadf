using System.Collections.Frozen;

namespace Rerank;

/// <summary>
/// Statistics of a whole corpus for BM25: how many documents it has, their average length in tokens, and in how many
/// documents each term occurs. With them, BM25 scores candidates as a search index would, instead of judging term
/// rarity from the candidates alone.
/// </summary>
/// <remarks>
/// Terms must be in the analysed form: produced by the same <see cref="TextAnalyzer"/> that scores (lower-case by
/// default). A term that is not listed has a document frequency of 0. Instances are immutable and thread-safe.
/// </remarks>
public sealed class Bm25CorpusStatistics
{
    private readonly FrozenDictionary<string, long> _documentFrequencies;

    /// <summary>Initializes a new instance of the <see cref="Bm25CorpusStatistics"/> class from statistics you already have (a search index, a database).</summary>
    /// <param name="documentCount">The number of documents in the corpus; at least 0.</param>
    /// <param name="averageDocumentLength">The average number of tokens per document; finite and at least 0.</param>
    /// <param name="documentFrequencies">For each analysed term, the number of documents that contain it; each at least 0. Copied.</param>
    /// <exception cref="ArgumentNullException"><paramref name="documentFrequencies"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A count or the average length is negative, or the average is not finite.</exception>
    /// <exception cref="ArgumentException">A term is <see langword="null"/> or its frequency is negative.</exception>
    public Bm25CorpusStatistics(long documentCount, double averageDocumentLength, IEnumerable<KeyValuePair<string, long>> documentFrequencies)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(documentCount);
        if (!double.IsFinite(averageDocumentLength) || averageDocumentLength < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(averageDocumentLength), averageDocumentLength, "The average document length must be a finite number of at least 0.");
        }

        ArgumentNullException.ThrowIfNull(documentFrequencies);
        var frequencies = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach ((string term, long frequency) in documentFrequencies)
        {
            if (term is null || frequency < 0)
            {
                throw new ArgumentException($"Document frequencies must have non-null terms and counts of at least 0; got '{term}' = {frequency}.", nameof(documentFrequencies));
            }

            frequencies[term] = frequency;
        }

        DocumentCount = documentCount;
        AverageDocumentLength = averageDocumentLength;
        _documentFrequencies = frequencies.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>Gets the number of documents in the corpus.</summary>
    public long DocumentCount { get; }

    /// <summary>Gets the average number of tokens per document.</summary>
    public double AverageDocumentLength { get; }

    /// <summary>Gets the number of documents that contain each term.</summary>
    public IReadOnlyDictionary<string, long> DocumentFrequencies => _documentFrequencies;

    /// <summary>Computes the statistics of a corpus held in memory.</summary>
    /// <param name="corpus">The texts of every document in the corpus.</param>
    /// <param name="analyzer">The analyser that will score; <see cref="TextAnalyzer.Default"/> when <see langword="null"/>.</param>
    /// <returns>The statistics.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="corpus"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A text is <see langword="null"/>; the message names its index.</exception>
    public static Bm25CorpusStatistics Create(IEnumerable<string> corpus, TextAnalyzer? analyzer = null)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        analyzer ??= TextAnalyzer.Default;
        var frequencies = new Dictionary<string, long>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        long documents = 0, tokens = 0;
        foreach (string text in corpus)
        {
            if (text is null)
            {
                throw new ArgumentException($"The corpus text at index {documents} is null.", nameof(corpus));
            }

            seen.Clear();
            foreach (string token in analyzer.Analyze(text))
            {
                tokens++;
                if (seen.Add(token))
                {
                    frequencies[token] = frequencies.GetValueOrDefault(token) + 1;
                }
            }

            documents++;
        }

        return new Bm25CorpusStatistics(documents, documents == 0 ? 0 : (double)tokens / documents, frequencies);
    }

    /// <summary>Gets the number of documents that contain <paramref name="term"/>, or 0 if it is not listed.</summary>
    /// <param name="term">An analysed term.</param>
    /// <returns>The document frequency.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="term"/> is <see langword="null"/>.</exception>
    public long GetDocumentFrequency(string term)
    {
        ArgumentNullException.ThrowIfNull(term);
        return _documentFrequencies.GetValueOrDefault(term);
    }
}
