namespace Rerank;

/// <summary>Convenience methods over <see cref="IReranker"/>: plain strings, arbitrary items, many queries, typed services.</summary>
public static class RerankerExtensions
{
    /// <summary>Asks the reranker (or any inner layer) for a service of type <typeparamref name="TService"/>.</summary>
    /// <typeparam name="TService">The type of service requested.</typeparam>
    /// <param name="reranker">The reranker.</param>
    /// <param name="serviceKey">An optional key.</param>
    /// <returns>The service, or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reranker"/> is <see langword="null"/>.</exception>
    public static TService? GetService<TService>(this IReranker reranker, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(reranker);
        return reranker.GetService(typeof(TService), serviceKey) is TService service ? service : default;
    }

    /// <summary>Asks the reranker (or any inner layer) for a service of type <typeparamref name="TService"/>, and throws if there is none.</summary>
    /// <typeparam name="TService">The type of service requested.</typeparam>
    /// <param name="reranker">The reranker.</param>
    /// <param name="serviceKey">An optional key.</param>
    /// <returns>The service.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reranker"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">No layer of the reranker offers the service.</exception>
    public static TService GetRequiredService<TService>(this IReranker reranker, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(reranker);
        return reranker.GetService(typeof(TService), serviceKey) is TService service
            ? service
            : throw new InvalidOperationException($"No layer of the reranker pipeline offers a service of type {typeof(TService).FullName}.");
    }

    /// <summary>Reranks plain strings.</summary>
    /// <param name="reranker">The reranker.</param>
    /// <param name="query">The query.</param>
    /// <param name="documents">The candidate texts.</param>
    /// <param name="options">Options for the call.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The ranked results; <see cref="RerankResult.Index"/> points into <paramref name="documents"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reranker"/>, <paramref name="query"/> or <paramref name="documents"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A document is <see langword="null"/>; the message names its index.</exception>
    public static Task<RerankResponse> RerankAsync(
        this IReranker reranker,
        string query,
        IEnumerable<string> documents,
        RerankOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reranker);
        ArgumentNullException.ThrowIfNull(documents);
        return reranker.RerankAsync(query, ToDocuments(documents, static text => text, nameof(documents)), options, cancellationToken);
    }

    /// <summary>Reranks the caller's own items, reading each item's text with <paramref name="textSelector"/>, and hands the items back in ranked order.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="reranker">The reranker.</param>
    /// <param name="query">The query.</param>
    /// <param name="items">The candidates.</param>
    /// <param name="textSelector">Reads the text to score from an item; must not return <see langword="null"/>.</param>
    /// <param name="options">Options for the call.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The items, most relevant first, with their score, input index and rank.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="textSelector"/> returned <see langword="null"/>; the message names the item's index.</exception>
    public static async Task<IReadOnlyList<RerankedItem<T>>> RerankAsync<T>(
        this IReranker reranker,
        string query,
        IEnumerable<T> items,
        Func<T, string> textSelector,
        RerankOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reranker);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(textSelector);

        List<T> list = [.. items];
        List<RerankDocument> documents = ToDocuments(list, textSelector, nameof(items));
        RerankResponse response = await reranker.RerankAsync(query, documents, options, cancellationToken).ConfigureAwait(false);

        var ranked = new RerankedItem<T>[response.Results.Count];
        for (int rank = 0; rank < ranked.Length; rank++)
        {
            RerankResult result = response.Results[rank];
            if ((uint)result.Index >= (uint)list.Count)
            {
                throw new InvalidOperationException($"The reranker returned index {result.Index} for {list.Count} items.");
            }

            ranked[rank] = new RerankedItem<T>(list[result.Index], result.Score, result.Index, rank);
        }

        return ranked;
    }

    /// <summary>Reranks many queries, each over its own candidates, with at most <paramref name="maxConcurrency"/> calls in flight.</summary>
    /// <param name="reranker">The reranker.</param>
    /// <param name="requests">The queries and their candidates.</param>
    /// <param name="options">Options applied to every call.</param>
    /// <param name="maxConcurrency">The most calls in flight at once; at least 1.</param>
    /// <param name="cancellationToken">A token that cancels every call.</param>
    /// <returns>One response per request, in request order.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxConcurrency"/> is less than 1, or an option is out of range.</exception>
    /// <exception cref="ArgumentException">A request is <see langword="null"/> or its query is empty or white space; the message names its index. Checked before any call.</exception>
    /// <remarks>The first failure cancels the calls not yet finished and is rethrown.</remarks>
    public static async Task<IReadOnlyList<RerankResponse>> RerankBatchAsync(
        this IReranker reranker,
        IEnumerable<RerankRequest> requests,
        RerankOptions? options = null,
        int maxConcurrency = 4,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reranker);
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrency, 1);
        RerankContract.ValidateOptions(options);

        List<RerankRequest> list = [.. requests];
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i] is null)
            {
                throw new ArgumentException($"The request at index {i} is null.", nameof(requests));
            }

            // Checked here rather than by the reranker, so that one bad query fails the batch before any call is paid for.
            if (string.IsNullOrWhiteSpace(list[i].Query))
            {
                throw new ArgumentException($"The query of the request at index {i} is empty or white space.", nameof(requests));
            }
        }

        var responses = new RerankResponse[list.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, list.Count),
            new ParallelOptions { MaxDegreeOfParallelism = maxConcurrency, CancellationToken = cancellationToken },
            async (i, ct) => responses[i] = await reranker.RerankAsync(list[i].Query, list[i].Documents, options, ct).ConfigureAwait(false))
            .ConfigureAwait(false);
        return responses;
    }

    /// <summary>Reranks the same candidates against many queries, with at most <paramref name="maxConcurrency"/> calls in flight.</summary>
    /// <param name="reranker">The reranker.</param>
    /// <param name="queries">The queries.</param>
    /// <param name="documents">The candidates, shared by every query.</param>
    /// <param name="options">Options applied to every call.</param>
    /// <param name="maxConcurrency">The most calls in flight at once; at least 1.</param>
    /// <param name="cancellationToken">A token that cancels every call.</param>
    /// <returns>One response per query, in query order.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxConcurrency"/> is less than 1.</exception>
    public static Task<IReadOnlyList<RerankResponse>> RerankBatchAsync(
        this IReranker reranker,
        IEnumerable<string> queries,
        IEnumerable<RerankDocument> documents,
        RerankOptions? options = null,
        int maxConcurrency = 4,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(documents);

        // Materialise once so a lazy sequence is not re-enumerated per query.
        RerankDocument[] shared = [.. documents];
        return reranker.RerankBatchAsync(queries.Select(q => new RerankRequest(q, shared)), options, maxConcurrency, cancellationToken);
    }

    private static List<RerankDocument> ToDocuments<T>(IEnumerable<T> items, Func<T, string> textSelector, string paramName)
    {
        var documents = new List<RerankDocument>();
        foreach (T item in items)
        {
            string? text = item is null ? null : textSelector(item);
            if (text is null)
            {
                throw new ArgumentException($"The document at index {documents.Count} is null or its text is null.", paramName);
            }

            documents.Add(new RerankDocument(text));
        }

        return documents;
    }
}
