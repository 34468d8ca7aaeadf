using System.Runtime.InteropServices;

namespace Rerank;

/// <summary>
/// An in-memory inverted index that ranks a whole corpus with Okapi BM25: a first stage for corpora small enough to
/// hold in memory (tests, evaluation collections such as BEIR's, a few hundred thousand passages), with the same
/// analyser and formula as <see cref="Bm25Reranker"/>.
/// </summary>
/// <remarks>
/// <para>
/// The formula is <see cref="Bm25Reranker"/>'s, with N, avgdl and n(t) taken from the whole corpus; a reranker built
/// with <see cref="Bm25Options.CorpusStatistics"/> = <see cref="Statistics"/> and the same k1, b and analyser gives the
/// candidates the scores this index gave them (up to the order of floating-point additions).
/// </para>
/// <para>
/// Only the terms and their frequencies are kept, not the texts. The index is immutable once created; searching is
/// thread-safe.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// Bm25Index index = Bm25Index.Create(documents.Select(d => KeyValuePair.Create(d.Id, d.Text)));
/// IReadOnlyList&lt;Bm25Hit&gt; top = index.Search("boundary layer transition", 100);
/// </code>
/// </example>
public sealed class Bm25Index
{
    private const int CancellationCheckInterval = 1024;

    private readonly Dictionary<string, int> _terms;
    private readonly int[][] _postingDocuments;
    private readonly int[][] _postingFrequencies;
    private readonly string[] _ids;
    private readonly int[] _lengths;
    private readonly double _k1;
    private readonly double _b;
    private readonly double _averageLength;
    private Bm25CorpusStatistics? _statistics;

    private Bm25Index(Dictionary<string, int> terms, int[][] postingDocuments, int[][] postingFrequencies, string[] ids, int[] lengths, Bm25Options options, TextAnalyzer analyzer)
    {
        _terms = terms;
        _postingDocuments = postingDocuments;
        _postingFrequencies = postingFrequencies;
        _ids = ids;
        _lengths = lengths;
        _k1 = options.K1;
        _b = options.B;
        Analyzer = analyzer;
        long total = 0;
        foreach (int length in lengths)
        {
            total += length;
        }

        _averageLength = ids.Length == 0 ? 0 : (double)total / ids.Length;
    }

    /// <summary>Gets the number of documents in the index.</summary>
    public int DocumentCount => _ids.Length;

    /// <summary>Gets the number of distinct terms in the index.</summary>
    public int TermCount => _terms.Count;

    /// <summary>Gets the analyser that tokenized the corpus and tokenizes queries.</summary>
    public TextAnalyzer Analyzer { get; }

    /// <summary>Gets k1, as given when the index was created.</summary>
    public double K1 => _k1;

    /// <summary>Gets b, as given when the index was created.</summary>
    public double B => _b;

    /// <summary>Gets the corpus statistics, for a <see cref="Bm25Reranker"/> that scores candidates as this index does.</summary>
    public Bm25CorpusStatistics Statistics => _statistics ??= new Bm25CorpusStatistics(
        _ids.Length,
        _averageLength,
        _terms.Select(pair => KeyValuePair.Create(pair.Key, (long)_postingDocuments[pair.Value].Length)));

    /// <summary>Indexes a corpus, reading it once.</summary>
    /// <param name="documents">The documents as (identifier, text) pairs; enumerated once, so a stream read from disk works.</param>
    /// <param name="options">k1, b and the analyser; <see langword="null"/> for k1 = 1.2, b = 0.75 and <see cref="TextAnalyzer.Default"/>. <see cref="Bm25Options.CorpusStatistics"/> is ignored: the index computes its own.</param>
    /// <param name="cancellationToken">A token that cancels indexing.</param>
    /// <returns>The index.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="documents"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An identifier or text is <see langword="null"/>, or an identifier occurs twice; the message names it and its position.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="Bm25Options.K1"/> or <see cref="Bm25Options.B"/> is out of range.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static Bm25Index Create(IEnumerable<KeyValuePair<string, string>> documents, Bm25Options? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        options ??= new Bm25Options();
        options.Validate();
        TextAnalyzer analyzer = options.Analyzer ?? TextAnalyzer.Default;

        var terms = new Dictionary<string, int>(StringComparer.Ordinal);
        var postingDocuments = new List<List<int>>();
        var postingFrequencies = new List<List<int>>();
        var ids = new List<string>();
        var seenIds = new HashSet<string>(StringComparer.Ordinal);
        var lengths = new List<int>();
        var sink = new IndexSink(terms, postingDocuments, postingFrequencies, new Dictionary<int, int>());
        foreach ((string id, string text) in documents)
        {
            if (ids.Count % CancellationCheckInterval == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (id is null || text is null)
            {
                throw new ArgumentException($"The document at position {ids.Count} has a null identifier or text.", nameof(documents));
            }

            if (!seenIds.Add(id))
            {
                throw new ArgumentException($"The document identifier '{id}' occurs twice (again at position {ids.Count}); identifiers must be unique.", nameof(documents));
            }

            sink.Length = 0;
            sink.Frequencies.Clear();
            analyzer.Analyze(text, ref sink);

            // Postings are appended in document order, so each list stays sorted without a sort.
            int document = ids.Count;
            foreach ((int term, int frequency) in sink.Frequencies)
            {
                postingDocuments[term].Add(document);
                postingFrequencies[term].Add(frequency);
            }

            ids.Add(id);
            lengths.Add(sink.Length);
        }

        return new Bm25Index(
            terms,
            [.. postingDocuments.Select(list => list.ToArray())],
            [.. postingFrequencies.Select(list => list.ToArray())],
            [.. ids],
            [.. lengths],
            options,
            analyzer);
    }

    /// <summary>Finds the documents that best match <paramref name="query"/>.</summary>
    /// <param name="query">The query text.</param>
    /// <param name="count">The most hits to return; at least 1.</param>
    /// <param name="cancellationToken">A token that cancels the search.</param>
    /// <returns>
    /// At most <paramref name="count"/> documents that contain a query term, by score descending; equal scores are
    /// ordered by identifier in descending ordinal order, as trec_eval orders ties, so a run written from the hits reads
    /// back in the same order. Empty when the query has no terms.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is less than 1.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public IReadOnlyList<Bm25Hit> Search(string query, int count, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        cancellationToken.ThrowIfCancellationRequested();

        // Each query term counts once per occurrence, as in Bm25Reranker.
        var occurrences = new Dictionary<int, int>();
        foreach (string token in Analyzer.Analyze(query))
        {
            if (_terms.TryGetValue(token, out int term))
            {
                CollectionsMarshal.GetValueRefOrAddDefault(occurrences, term, out _)++;
            }
        }

        if (occurrences.Count == 0)
        {
            return [];
        }

        var scores = new Dictionary<int, double>();
        double documentCount = _ids.Length;
        foreach ((int term, int times) in occurrences)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int[] documents = _postingDocuments[term];
            int[] frequencies = _postingFrequencies[term];
            double n = documents.Length;
            double weight = times * Math.Log(1 + ((documentCount - n + 0.5) / (n + 0.5)));
            for (int p = 0; p < documents.Length; p++)
            {
                int document = documents[p];
                double lengthRatio = _averageLength > 0 ? _lengths[document] / _averageLength : 1;
                double norm = _k1 * (1 - _b + (_b * lengthRatio));
                double tf = frequencies[p];
                CollectionsMarshal.GetValueRefOrAddDefault(scores, document, out _) += weight * tf * (_k1 + 1) / (tf + norm);
            }
        }

        var hits = new Bm25Hit[scores.Count];
        int i = 0;
        foreach ((int document, double score) in scores)
        {
            hits[i++] = new Bm25Hit(_ids[document], score);
        }

        Array.Sort(hits, static (x, y) =>
        {
            int byScore = y.Score.CompareTo(x.Score);
            return byScore != 0 ? byScore : string.CompareOrdinal(y.Id, x.Id);
        });
        return hits.Length <= count ? hits : hits[..count];
    }

    private struct IndexSink(Dictionary<string, int> terms, List<List<int>> postingDocuments, List<List<int>> postingFrequencies, Dictionary<int, int> frequencies) : ITokenSink
    {
        public readonly Dictionary<int, int> Frequencies = frequencies;
        public int Length;
        private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup = terms.GetAlternateLookup<ReadOnlySpan<char>>();

        public void Accept(ReadOnlySpan<char> token)
        {
            Length++;
            if (!_lookup.TryGetValue(token, out int term))
            {
                term = _lookup.Dictionary.Count;
                _lookup[token] = term;
                postingDocuments.Add([]);
                postingFrequencies.Add([]);
            }

            CollectionsMarshal.GetValueRefOrAddDefault(Frequencies, term, out _)++;
        }
    }
}
