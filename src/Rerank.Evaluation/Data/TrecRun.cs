namespace Rerank.Evaluation;

/// <summary>
/// A ranked run: for each query, the retrieved documents with their scores, as in a TREC run file. The order documents
/// are listed in does not matter to evaluation: as in trec_eval, they are ranked by score descending and equal scores by
/// document id in descending byte order.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class TrecRun
{
    /// <summary>Initializes a new instance of the <see cref="TrecRun"/> class.</summary>
    /// <param name="name">The run's tag (the sixth column of a TREC run file).</param>
    /// <param name="queries">For each query id, its retrieved documents. Copied.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A query id is empty or listed twice, a document id is null or empty or listed twice for one query, or a score is not finite.</exception>
    public TrecRun(string name, IEnumerable<KeyValuePair<string, IReadOnlyList<RunEntry>>> queries)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(queries);
        var copy = new Dictionary<string, IReadOnlyList<RunEntry>>(StringComparer.Ordinal);
        foreach ((string query, IReadOnlyList<RunEntry> entries) in queries)
        {
            if (string.IsNullOrEmpty(query) || entries is null)
            {
                throw new ArgumentException("A query id is null or empty, or its entries are null.", nameof(queries));
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (RunEntry entry in entries)
            {
                if (string.IsNullOrEmpty(entry.DocumentId))
                {
                    throw new ArgumentException($"Query '{query}' has an entry with a null or empty document id.", nameof(queries));
                }

                if (!seen.Add(entry.DocumentId))
                {
                    throw new ArgumentException($"Query '{query}' lists document '{entry.DocumentId}' twice; trec_eval refuses duplicate documents.", nameof(queries));
                }

                if (!double.IsFinite(entry.Score))
                {
                    throw new ArgumentException($"Query '{query}', document '{entry.DocumentId}': the score {entry.Score} is not finite.", nameof(queries));
                }
            }

            if (!copy.TryAdd(query, [.. entries]))
            {
                throw new ArgumentException($"Query '{query}' is listed twice.", nameof(queries));
            }
        }

        Name = name;
        Queries = copy;
    }

    /// <summary>Gets the run's tag.</summary>
    public string Name { get; }

    /// <summary>Gets, for each query id, its retrieved documents in the order they were given.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<RunEntry>> Queries { get; }

    /// <summary>Gets a query's documents ranked as trec_eval ranks them: score descending, then document id in descending byte order.</summary>
    /// <param name="queryId">The query id.</param>
    /// <returns>The ranking; empty if the run has no documents for the query.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="queryId"/> is <see langword="null"/>.</exception>
    public RunEntry[] GetRanking(string queryId)
    {
        ArgumentNullException.ThrowIfNull(queryId);
        if (!Queries.TryGetValue(queryId, out IReadOnlyList<RunEntry>? entries))
        {
            return [];
        }

        RunEntry[] ranking = [.. entries];
        TrecOrder.Sort(ranking);
        return ranking;
    }
}
