namespace Rerank;

/// <summary>
/// Okapi BM25 over a set of candidates, shared by <see cref="Bm25Reranker"/> and the hybrid BM25 signal.
/// </summary>
/// <remarks>
/// <para>
/// score(D, Q) = Σ over query tokens t of idf(t) · tf(t, D) · (k1 + 1) / (tf(t, D) + k1 · (1 − b + b · |D| / avgdl)),
/// with Lucene's idf(t) = ln(1 + (N − n(t) + 0.5) / (n(t) + 0.5)), which is never negative (the original
/// Robertson–Spärck Jones idf, ln((N − n + 0.5) / (n + 0.5)), goes negative for terms in more than half the documents,
/// which on a small candidate set is most query terms). A term repeated in the query counts once per occurrence, as in
/// Lucene's query parser. N, avgdl and n(t) come from the candidates unless corpus statistics are given.
/// </para>
/// <para>
/// Documents are tokenized once, and only the query's terms are counted, looked up by span, so the cost is one pass
/// over the text with no string per token.
/// </para>
/// </remarks>
internal sealed class Bm25Scorer
{
    private const int CancellationCheckInterval = 64;

    private readonly double _k1;
    private readonly double _b;
    private readonly Bm25CorpusStatistics? _statistics;

    public Bm25Scorer(Bm25Options? options)
    {
        options ??= new Bm25Options();
        options.Validate();
        _k1 = options.K1;
        _b = options.B;
        Analyzer = options.Analyzer ?? TextAnalyzer.Default;
        _statistics = options.CorpusStatistics;
        ScoreSemantics = _statistics is null ? RerankScoreSemantics.CandidateSetDependent : RerankScoreSemantics.Pointwise;
        Fingerprint = $"bm25(k1={Fingerprints.Number(_k1)},b={Fingerprints.Number(_b)},analyzer={AnalyzerFingerprint(Analyzer)},statistics={StatisticsFingerprint(_statistics)})";
    }

    public TextAnalyzer Analyzer { get; }

    /// <summary>Gets what the scores depend on: the candidates, unless corpus statistics replace theirs.</summary>
    public RerankScoreSemantics ScoreSemantics { get; }

    /// <summary>Gets every setting that changes the scores, for <see cref="RerankerMetadata.ScoringFingerprint"/>.</summary>
    public string Fingerprint { get; }

    private static string AnalyzerFingerprint(TextAnalyzer analyzer) =>
        $"lower={analyzer.LowerCase},cjk={analyzer.CjkTokenization},stop-words={Fingerprints.Digest(string.Join('\n', analyzer.StopWords.Order(StringComparer.Ordinal)))},tokenizer={Fingerprints.Delegate(analyzer.Tokenizer)}";

    private static string StatisticsFingerprint(Bm25CorpusStatistics? statistics)
    {
        if (statistics is null)
        {
            return "candidates";
        }

        // Computed once per reranker; sorted so that the same statistics give the same digest however they were built.
        var text = new System.Text.StringBuilder();
        foreach (KeyValuePair<string, long> pair in statistics.DocumentFrequencies.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append(pair.Key).Append('\t').Append(pair.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        }

        return $"corpus(n={statistics.DocumentCount.ToString(System.Globalization.CultureInfo.InvariantCulture)},avgdl={Fingerprints.Number(statistics.AverageDocumentLength)},df={Fingerprints.Digest(text.ToString())})";
    }

    /// <summary>Scores every document against the query; all scores are finite and at least 0.</summary>
    public double[] Score(string query, IReadOnlyList<RerankDocument> documents, CancellationToken cancellationToken)
    {
        var scores = new double[documents.Count];
        var querySink = new QuerySink(new Dictionary<string, int>(StringComparer.Ordinal), []);
        Analyzer.Analyze(query, ref querySink);
        Dictionary<string, int> terms = querySink.Terms;
        if (terms.Count == 0 || documents.Count == 0)
        {
            // A query of only stop words or punctuation matches nothing: every document scores 0.
            return scores;
        }

        // Pass 1: per document, its length and the (term, frequency) pairs of the query terms it contains.
        var documentSink = new DocumentSink(terms.GetAlternateLookup<ReadOnlySpan<char>>(), new int[terms.Count], new int[terms.Count]);
        var matchStart = new int[documents.Count + 1];
        var lengths = new int[documents.Count];
        var documentFrequencies = new long[terms.Count];
        var matchTerms = new List<int>();
        var matchFrequencies = new List<int>();
        long totalLength = 0;
        for (int d = 0; d < documents.Count; d++)
        {
            if (d % CancellationCheckInterval == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            documentSink.Length = 0;
            documentSink.TouchedCount = 0;
            Analyzer.Analyze(documents[d].Text, ref documentSink);
            for (int j = 0; j < documentSink.TouchedCount; j++)
            {
                int term = documentSink.Touched[j];
                matchTerms.Add(term);
                matchFrequencies.Add(documentSink.Frequencies[term]);
                documentFrequencies[term]++;
                documentSink.Frequencies[term] = 0;
            }

            lengths[d] = documentSink.Length;
            totalLength += documentSink.Length;
            matchStart[d + 1] = matchTerms.Count;
        }

        // Pass 2: corpus statistics, idf per query term, then the sums.
        double documentCount, averageLength;
        if (_statistics is null)
        {
            documentCount = documents.Count;
            averageLength = (double)totalLength / documents.Count;
        }
        else
        {
            documentCount = _statistics.DocumentCount;
            averageLength = _statistics.AverageDocumentLength;
            foreach ((string term, int index) in terms)
            {
                documentFrequencies[index] = _statistics.GetDocumentFrequency(term);
            }
        }

        var weights = new double[terms.Count];
        for (int t = 0; t < weights.Length; t++)
        {
            // n is clamped to [0, N] so that inconsistent statistics cannot make idf negative or NaN.
            double n = Math.Clamp(documentFrequencies[t], 0, documentCount);
            weights[t] = querySink.Occurrences[t] * Math.Log(1 + ((documentCount - n + 0.5) / (n + 0.5)));
        }

        for (int d = 0; d < documents.Count; d++)
        {
            // With no length information (every document empty, or statistics saying 0) length normalisation is neutral.
            double lengthRatio = averageLength > 0 ? lengths[d] / averageLength : 1;
            double norm = _k1 * (1 - _b + (_b * lengthRatio));
            double score = 0;
            for (int m = matchStart[d]; m < matchStart[d + 1]; m++)
            {
                // tf ≥ 1 here, so the denominator is positive even with k1 = 0.
                double tf = matchFrequencies[m];
                score += weights[matchTerms[m]] * tf * (_k1 + 1) / (tf + norm);
            }

            scores[d] = score;
        }

        return scores;
    }

    private struct QuerySink(Dictionary<string, int> terms, List<int> occurrences) : ITokenSink
    {
        public readonly Dictionary<string, int> Terms = terms;
        public readonly List<int> Occurrences = occurrences;

        public readonly void Accept(ReadOnlySpan<char> token)
        {
            Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> lookup = Terms.GetAlternateLookup<ReadOnlySpan<char>>();
            if (lookup.TryGetValue(token, out int index))
            {
                Occurrences[index]++;
            }
            else
            {
                lookup[token] = Terms.Count;
                Occurrences.Add(1);
            }
        }
    }

    private struct DocumentSink(Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> terms, int[] frequencies, int[] touched) : ITokenSink
    {
        public readonly int[] Frequencies = frequencies;
        public readonly int[] Touched = touched;
        public int Length;
        public int TouchedCount;
        private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _terms = terms;

        public void Accept(ReadOnlySpan<char> token)
        {
            Length++;
            if (_terms.TryGetValue(token, out int index) && Frequencies[index]++ == 0)
            {
                Touched[TouchedCount++] = index;
            }
        }
    }
}
