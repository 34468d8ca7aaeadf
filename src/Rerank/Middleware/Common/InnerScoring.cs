namespace Rerank;

/// <summary>
/// Calls an inner reranker for the scores of a set of documents, so that middleware which splits, filters or merges
/// candidate lists (caching, batching, deduplication, long documents) maps results back the same way.
/// </summary>
internal static class InnerScoring
{
    /// <summary>
    /// Returns options for an inner call that must score every document it is given: TopN and ScoreThreshold are
    /// applied by the outer layer after it has merged the scores, so they are cleared on a clone.
    /// </summary>
    public static RerankOptions? ForAllScores(RerankOptions? options)
    {
        if (options is null || (options.TopN is null && options.ScoreThreshold is null))
        {
            return options;
        }

        RerankOptions clone = options.Clone();
        clone.TopN = null;
        clone.ScoreThreshold = null;
        return clone;
    }

    /// <summary>Scores <paramref name="documents"/> with <paramref name="inner"/> and writes the score of document <c>i</c> to <c>scores[offset + i]</c>.</summary>
    /// <param name="inner">The inner reranker.</param>
    /// <param name="query">The query.</param>
    /// <param name="documents">The documents to score; never empty.</param>
    /// <param name="allScoresOptions">Options from <see cref="ForAllScores"/>.</param>
    /// <param name="scores">Receives the scores.</param>
    /// <param name="offset">Where in <paramref name="scores"/> the first document's score goes.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The inner response, for its model, usage and properties.</returns>
    /// <exception cref="InvalidOperationException">The inner reranker did not return exactly one score per document.</exception>
    public static async Task<RerankResponse> ScoreAsync(
        IReranker inner,
        string query,
        IReadOnlyList<RerankDocument> documents,
        RerankOptions? allScoresOptions,
        double[] scores,
        int offset,
        CancellationToken cancellationToken)
    {
        RerankResponse response = await inner.RerankAsync(query, documents, allScoresOptions, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The inner reranker {inner.GetType().FullName} returned a null response.");

        IReadOnlyList<RerankResult> results = response.Results;
        if (results.Count != documents.Count)
        {
            throw Misaligned(inner, $"returned {results.Count} results for {documents.Count} documents");
        }

        // One bit per document proves that every index came back exactly once.
        Span<bool> seen = documents.Count <= 256 ? stackalloc bool[documents.Count] : new bool[documents.Count];
        for (int i = 0; i < results.Count; i++)
        {
            RerankResult result = results[i];
            if ((uint)result.Index >= (uint)documents.Count || seen[result.Index])
            {
                throw Misaligned(inner, $"returned index {result.Index} for {documents.Count} documents, out of range or twice");
            }

            seen[result.Index] = true;
            scores[offset + result.Index] = result.Score;
        }

        return response;
    }

    private static InvalidOperationException Misaligned(IReranker inner, string what) =>
        new($"The inner reranker {inner.GetType().FullName} {what}; without TopN and ScoreThreshold it must return one result per document. " +
            "Middleware that maps scores back (caching, batching, deduplication, long documents) cannot work over it.");
}
