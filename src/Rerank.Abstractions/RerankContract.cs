namespace Rerank;

/// <summary>
/// The argument checks and the ordering rules of the <see cref="IReranker"/> contract, for provider authors, so that
/// every reranker validates, orders, breaks ties and applies <see cref="RerankOptions.TopN"/> and
/// <see cref="RerankOptions.ScoreThreshold"/> the same way.
/// </summary>
public static class RerankContract
{
    /// <summary>Checks the arguments of <see cref="IReranker.RerankAsync"/> and reads the documents into a list.</summary>
    /// <param name="query">The query.</param>
    /// <param name="documents">The documents; enumerated exactly once.</param>
    /// <param name="options">The options, checked as <see cref="ValidateOptions"/> does.</param>
    /// <returns>The documents as a list, in input order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> or <paramref name="documents"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="query"/> is empty or white space, or a document or its text is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <see cref="RerankOptions.TopN"/> or <see cref="RerankOptions.MaxTokensPerDocument"/> is less than 1, or <see cref="RerankOptions.ScoreThreshold"/> is NaN.
    /// </exception>
    public static IReadOnlyList<RerankDocument> ValidateArguments(string query, IEnumerable<RerankDocument> documents, RerankOptions? options)
    {
        ValidateQuery(query);
        ArgumentNullException.ThrowIfNull(documents);
        ValidateOptions(options);

        // Copy even a list: the caller may change it while we await, and the Index we return must keep pointing at what we scored.
        var list = documents is ICollection<RerankDocument> collection ? new List<RerankDocument>(collection.Count) : new List<RerankDocument>();
        foreach (RerankDocument document in documents)
        {
            // Text can be null only if the document was built without its constructor (deserialisation, reflection).
            if (document is null || document.Text is null)
            {
                throw new ArgumentException($"The document at index {list.Count} is null or has null text.", nameof(documents));
            }

            list.Add(document);
        }

        return list;
    }

    /// <summary>Checks a query: not <see langword="null"/>, not empty, not white space.</summary>
    /// <param name="query">The query.</param>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="query"/> is empty or white space.</exception>
    public static void ValidateQuery(string query) => ArgumentException.ThrowIfNullOrWhiteSpace(query);

    /// <summary>
    /// Checks options: <see cref="RerankOptions.TopN"/> and <see cref="RerankOptions.MaxTokensPerDocument"/> must be null or at least 1,
    /// and <see cref="RerankOptions.ScoreThreshold"/> null or a number (not NaN).
    /// </summary>
    /// <param name="options">The options, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public static void ValidateOptions(RerankOptions? options)
    {
        if (options?.TopN is int topN && topN < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), topN, "RerankOptions.TopN must be at least 1, or null for all results.");
        }

        if (options?.MaxTokensPerDocument is int maxTokens && maxTokens < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), maxTokens, "RerankOptions.MaxTokensPerDocument must be at least 1, or null for the reranker's limit.");
        }

        if (options?.ScoreThreshold is double threshold && double.IsNaN(threshold))
        {
            throw new ArgumentOutOfRangeException(nameof(options), threshold, "RerankOptions.ScoreThreshold must be a number, or null to keep every result.");
        }
    }

    /// <summary>
    /// Orders documents by score, most relevant first, keeping input order among equal scores; then drops results below
    /// <see cref="RerankOptions.ScoreThreshold"/> and keeps at most <see cref="RerankOptions.TopN"/>.
    /// </summary>
    /// <param name="documents">The documents, in input order.</param>
    /// <param name="scores">One score per document, in the same order. NaN ranks below every number.</param>
    /// <param name="options">The options holding TopN and ScoreThreshold.</param>
    /// <returns>The ordered results.</returns>
    /// <exception cref="ArgumentException">The number of scores differs from the number of documents.</exception>
    public static IReadOnlyList<RerankResult> Rank(IReadOnlyList<RerankDocument> documents, ReadOnlySpan<double> scores, RerankOptions? options)
    {
        ArgumentNullException.ThrowIfNull(documents);
        if (scores.Length != documents.Count)
        {
            throw new ArgumentException($"Got {scores.Length} scores for {documents.Count} documents; scores and documents must align one to one.", nameof(scores));
        }

        var results = new RerankResult[documents.Count];
        for (int i = 0; i < results.Length; i++)
        {
            results[i] = new RerankResult(i, scores[i], documents[i]);
        }

        return Order(results, options);
    }

    /// <summary>
    /// Orders existing results by score, most relevant first, keeping ascending <see cref="RerankResult.Index"/> among equal
    /// scores; then applies <see cref="RerankOptions.ScoreThreshold"/> and <see cref="RerankOptions.TopN"/>.
    /// </summary>
    /// <param name="results">The results, in any order; the array is sorted in place.</param>
    /// <param name="options">The options holding TopN and ScoreThreshold.</param>
    /// <returns>The ordered, filtered results.</returns>
    public static IReadOnlyList<RerankResult> Order(RerankResult[] results, RerankOptions? options)
    {
        ArgumentNullException.ThrowIfNull(results);

        // Array.Sort is unstable; comparing the index as a tie-breaker makes it stable and deterministic.
        Array.Sort(results, static (a, b) =>
        {
            int byScore = CompareDescending(a.Score, b.Score);
            return byScore != 0 ? byScore : a.Index.CompareTo(b.Index);
        });

        int count = results.Length;
        if (options?.ScoreThreshold is double threshold)
        {
            // Sorted descending, so the kept results are a prefix; NaN never passes a threshold.
            count = 0;
            while (count < results.Length && results[count].Score >= threshold)
            {
                count++;
            }
        }

        if (options?.TopN is int topN && topN < count)
        {
            count = topN;
        }

        return count == results.Length ? results : results[..count];
    }

    private static int CompareDescending(double a, double b)
    {
        // NaN last, then higher scores first.
        bool aNaN = double.IsNaN(a), bNaN = double.IsNaN(b);
        if (aNaN || bNaN)
        {
            return aNaN == bNaN ? 0 : aNaN ? 1 : -1;
        }

        return b.CompareTo(a);
    }
}
