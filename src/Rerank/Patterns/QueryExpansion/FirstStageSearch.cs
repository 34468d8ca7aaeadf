namespace Rerank;

/// <summary>
/// Searches the first stage (a vector collection, BM25, SQLite FTS5, your own index) for up to <paramref name="count"/>
/// candidates of <paramref name="query"/>, best first: the one thing the retrieval patterns need from retrieval.
/// </summary>
/// <param name="query">The query (the user's or a generated variant).</param>
/// <param name="count">The most candidates to return; at least 1.</param>
/// <param name="cancellationToken">Cancels the search.</param>
/// <returns>The candidates, best first. Give each an <see cref="RerankDocument.Id"/>: candidates of several searches are united by it (by text when it is missing).</returns>
/// <remarks>
/// Wrap any retrieval in a lambda, for example a Microsoft.Extensions.VectorData collection:
/// <c>(q, k, ct) =&gt; collection.SearchAsync(q, k, cancellationToken: ct).Select(r =&gt; new RerankDocument(r.Record.Text) { Id = r.Record.Key, Score = r.Score }).ToListAsync(ct)</c>.
/// </remarks>
public delegate Task<IReadOnlyList<RerankDocument>> FirstStageSearch(string query, int count, CancellationToken cancellationToken);
