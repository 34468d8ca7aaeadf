namespace Rerank;

/// <summary>One query and its candidates, for reranking many queries at once with <see cref="RerankerExtensions.RerankBatchAsync(IReranker, IEnumerable{RerankRequest}, RerankOptions?, int, CancellationToken)"/>.</summary>
public sealed class RerankRequest
{
    /// <summary>Initializes a new instance of the <see cref="RerankRequest"/> class.</summary>
    /// <param name="query">The query.</param>
    /// <param name="documents">The candidates for this query.</param>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> or <paramref name="documents"/> is <see langword="null"/>.</exception>
    public RerankRequest(string query, IEnumerable<RerankDocument> documents)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(documents);
        Query = query;
        Documents = documents;
    }

    /// <summary>Gets the query.</summary>
    public string Query { get; }

    /// <summary>Gets the candidates for this query.</summary>
    public IEnumerable<RerankDocument> Documents { get; }
}
