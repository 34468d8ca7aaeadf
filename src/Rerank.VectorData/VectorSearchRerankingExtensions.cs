using Microsoft.Extensions.VectorData;

namespace Rerank.VectorData;

/// <summary>Reranks the results of <c>SearchAsync</c> and <c>HybridSearchAsync</c> of a Microsoft.Extensions.VectorData collection.</summary>
public static class VectorSearchRerankingExtensions
{
    /// <summary>
    /// Reads every result of a vector store search, reranks them against <paramref name="query"/>, and returns the records
    /// best first, each with its reranker score and its first-stage score and rank.
    /// </summary>
    /// <typeparam name="TRecord">The record type of the collection.</typeparam>
    /// <param name="results">The search results, such as <c>collection.SearchAsync(query, top: 50)</c>.</param>
    /// <param name="reranker">The reranker; the caller's, not disposed here.</param>
    /// <param name="query">The query the reranker scores against.</param>
    /// <param name="textSelector">The text of a record that the reranker reads (a passage, a title and a body...).</param>
    /// <param name="options">The reranking options (<see cref="RerankOptions.TopN"/> keeps the best n).</param>
    /// <param name="cancellationToken">Cancels the enumeration and the reranking.</param>
    /// <returns>The reranked records; empty, without a reranker call, when the search found nothing.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="textSelector"/> returned <see langword="null"/> for a record (the message names its first-stage rank).</exception>
    /// <remarks>
    /// The whole first stage is read before the reranker runs: an exception thrown by the collection part-way through
    /// propagates as it is, and nothing is reranked, so a partial candidate list is never returned as if it were complete.
    /// The first-stage score travels to the reranker as <see cref="RerankDocument.Score"/>, so a hybrid reranker can fuse
    /// it and a first-stage fallback can use it.
    /// </remarks>
    public static async Task<IReadOnlyList<RerankedSearchResult<TRecord>>> RerankAsync<TRecord>(
        this IAsyncEnumerable<VectorSearchResult<TRecord>> results,
        IReranker reranker,
        string query,
        Func<TRecord, string> textSelector,
        RerankOptions? options = null,
        CancellationToken cancellationToken = default)
        where TRecord : class
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(reranker);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(textSelector);

        var candidates = new List<VectorSearchResult<TRecord>>();
        await foreach (VectorSearchResult<TRecord> result in results.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            candidates.Add(result);
        }

        return await RerankCandidatesAsync(candidates, reranker, query, textSelector, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reranks candidates already read from the first stage, in their first-stage order.</summary>
    internal static async Task<IReadOnlyList<RerankedSearchResult<TRecord>>> RerankCandidatesAsync<TRecord>(
        IReadOnlyList<VectorSearchResult<TRecord>> candidates,
        IReranker reranker,
        string query,
        Func<TRecord, string> textSelector,
        RerankOptions? options,
        CancellationToken cancellationToken)
        where TRecord : class
    {
        if (candidates.Count == 0)
        {
            return [];
        }

        var documents = new RerankDocument[candidates.Count];
        for (int i = 0; i < candidates.Count; i++)
        {
            string text = textSelector(candidates[i].Record)
                ?? throw new InvalidOperationException($"The text selector returned null for the record at first-stage rank {i + 1}; return an empty string for a record without text.");
            documents[i] = new RerankDocument(text) { Score = candidates[i].Score };
        }

        RerankResponse response = await reranker.RerankAsync(query, documents, options, cancellationToken).ConfigureAwait(false);
        var reranked = new List<RerankedSearchResult<TRecord>>(response.Results.Count);
        foreach (RerankResult result in response.Results)
        {
            VectorSearchResult<TRecord> candidate = candidates[result.Index];
            reranked.Add(new RerankedSearchResult<TRecord>(candidate.Record, result.Score, reranked.Count + 1, candidate.Score, result.Index + 1)
            {
                ScoreComponents = result.ScoreComponents,
            });
        }

        return reranked;
    }
}
