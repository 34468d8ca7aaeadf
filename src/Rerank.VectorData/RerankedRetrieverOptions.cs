namespace Rerank.VectorData;

/// <summary>Configures a <see cref="RerankedRetriever{TRecord}"/>.</summary>
/// <typeparam name="TRecord">The record type of the collection.</typeparam>
public sealed class RerankedRetrieverOptions<TRecord>
{
    /// <summary>Gets or sets how many candidates the first stage returns.</summary>
    /// <value>The default is 50; at least 1. Rerankers are usually run over 20 to 100 candidates.</value>
    public int FirstStageTop { get; set; } = 50;

    /// <summary>Gets or sets how many records the retriever returns after reranking.</summary>
    /// <value>The default is 5; at least 1. More than <see cref="FirstStageTop"/> returns every candidate.</value>
    public int Top { get; set; } = 5;

    /// <summary>Gets or sets the keywords of a query for <c>HybridSearchAsync</c>; when set, the collection must implement <c>IKeywordHybridSearchable</c>.</summary>
    /// <value><see langword="null"/> (the default) runs <c>SearchAsync</c>, the pure vector search.</value>
    public Func<string, ICollection<string>>? HybridKeywords { get; set; }

    /// <summary>Gets or sets a filter applied by the first stage.</summary>
    /// <value><see langword="null"/> (the default) filters nothing.</value>
    public System.Linq.Expressions.Expression<Func<TRecord, bool>>? Filter { get; set; }

    /// <summary>Gets or sets the options of the reranking call, such as a score threshold; <see cref="RerankOptions.TopN"/> is set from <see cref="Top"/>.</summary>
    /// <value><see langword="null"/> (the default) passes none besides TopN.</value>
    public RerankOptions? RerankOptions { get; set; }
}
