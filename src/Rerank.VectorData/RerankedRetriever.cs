using Microsoft.Extensions.VectorData;

namespace Rerank.VectorData;

/// <summary>
/// Retrieve, then rerank: the first stage (<c>SearchAsync</c>, or <c>HybridSearchAsync</c> with keywords) returns
/// <see cref="RerankedRetrieverOptions{TRecord}.FirstStageTop"/> candidates, the reranker re-scores them, and the best
/// <see cref="RerankedRetrieverOptions{TRecord}.Top"/> come back with their first-stage score and rank.
/// </summary>
/// <typeparam name="TRecord">The record type of the collection.</typeparam>
/// <remarks>
/// The search value is the query text, which the collection embeds with its own embedding generator (as every
/// Microsoft.Extensions.VectorData connector with a configured <c>IEmbeddingGenerator</c> does); pass a vector to
/// <see cref="RetrieveAsync{TInput}(string, TInput, CancellationToken)"/> to search by one. An empty first stage gives an
/// empty result and no reranker call. The retriever owns neither the collection nor the reranker; it is stateless and
/// safe to share between concurrent callers.
/// </remarks>
public sealed class RerankedRetriever<TRecord>
    where TRecord : class
{
    private readonly IVectorSearchable<TRecord> _collection;
    private readonly IReranker _reranker;
    private readonly Func<TRecord, string> _textSelector;
    private readonly int _firstStageTop;
    private readonly Func<string, ICollection<string>>? _keywords;
    private readonly System.Linq.Expressions.Expression<Func<TRecord, bool>>? _filter;
    private readonly RerankOptions _rerankOptions;

    /// <summary>Initializes a new instance of the <see cref="RerankedRetriever{TRecord}"/> class.</summary>
    /// <param name="collection">The first stage: a vector store collection (or any <see cref="IVectorSearchable{TRecord}"/>); the caller's.</param>
    /// <param name="reranker">The second stage; the caller's.</param>
    /// <param name="textSelector">The text of a record that the reranker reads.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults; read once, here.</param>
    /// <exception cref="ArgumentNullException"><paramref name="collection"/>, <paramref name="reranker"/> or <paramref name="textSelector"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="RerankedRetrieverOptions{TRecord}.FirstStageTop"/> or <see cref="RerankedRetrieverOptions{TRecord}.Top"/> is below 1.</exception>
    /// <exception cref="ArgumentException">Hybrid keywords are set but the collection does not implement <see cref="IKeywordHybridSearchable{TRecord}"/>.</exception>
    public RerankedRetriever(IVectorSearchable<TRecord> collection, IReranker reranker, Func<TRecord, string> textSelector, RerankedRetrieverOptions<TRecord>? options = null)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(reranker);
        ArgumentNullException.ThrowIfNull(textSelector);
        options ??= new RerankedRetrieverOptions<TRecord>();
        if (options.FirstStageTop < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.FirstStageTop, "RerankedRetrieverOptions.FirstStageTop must be at least 1.");
        }

        if (options.Top < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Top, "RerankedRetrieverOptions.Top must be at least 1.");
        }

        if (options.HybridKeywords is not null && collection is not IKeywordHybridSearchable<TRecord>)
        {
            throw new ArgumentException($"RerankedRetrieverOptions.HybridKeywords is set, but {collection.GetType().Name} does not implement IKeywordHybridSearchable<{typeof(TRecord).Name}>: use a connector with hybrid search, or leave HybridKeywords unset for vector search.", nameof(options));
        }

        _collection = collection;
        _reranker = reranker;
        _textSelector = textSelector;
        _firstStageTop = options.FirstStageTop;
        _keywords = options.HybridKeywords;
        _filter = options.Filter;
        _rerankOptions = options.RerankOptions?.Clone() ?? new RerankOptions();
        _rerankOptions.TopN = options.Top;
    }

    /// <summary>Retrieves the best records for <paramref name="query"/>, searching by the query text.</summary>
    /// <param name="query">The query.</param>
    /// <param name="cancellationToken">Cancels the search and the reranking.</param>
    /// <returns>At most <see cref="RerankedRetrieverOptions{TRecord}.Top"/> records, best first.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is <see langword="null"/>.</exception>
    public Task<IReadOnlyList<RerankedSearchResult<TRecord>>> RetrieveAsync(string query, CancellationToken cancellationToken = default) =>
        RetrieveAsync(query, query, cancellationToken);

    /// <summary>Retrieves the best records for <paramref name="query"/>, searching by <paramref name="searchValue"/> (a vector, or the text).</summary>
    /// <typeparam name="TInput">The search value's type, as the collection accepts it (string, <c>ReadOnlyMemory&lt;float&gt;</c>, <c>Embedding&lt;float&gt;</c>...).</typeparam>
    /// <param name="query">The query the reranker scores against, and the source of the hybrid keywords.</param>
    /// <param name="searchValue">What the first stage searches by.</param>
    /// <param name="cancellationToken">Cancels the search and the reranking.</param>
    /// <returns>At most <see cref="RerankedRetrieverOptions{TRecord}.Top"/> records, best first.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> or <paramref name="searchValue"/> is <see langword="null"/>.</exception>
    public async Task<IReadOnlyList<RerankedSearchResult<TRecord>>> RetrieveAsync<TInput>(string query, TInput searchValue, CancellationToken cancellationToken = default)
        where TInput : notnull
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(searchValue);
        IAsyncEnumerable<VectorSearchResult<TRecord>> firstStage = _keywords is { } keywords
            ? ((IKeywordHybridSearchable<TRecord>)_collection).HybridSearchAsync(searchValue, keywords(query), _firstStageTop, new HybridSearchOptions<TRecord> { Filter = _filter }, cancellationToken)
            : _collection.SearchAsync(searchValue, _firstStageTop, new VectorSearchOptions<TRecord> { Filter = _filter }, cancellationToken);

        var candidates = new List<VectorSearchResult<TRecord>>(_firstStageTop);
        await foreach (VectorSearchResult<TRecord> result in firstStage.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            candidates.Add(result);
        }

        return await VectorSearchRerankingExtensions.RerankCandidatesAsync(candidates, _reranker, query, _textSelector, _rerankOptions, cancellationToken).ConfigureAwait(false);
    }
}
