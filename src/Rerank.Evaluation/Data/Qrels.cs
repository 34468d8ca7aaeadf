namespace Rerank.Evaluation;

/// <summary>
/// Relevance judgements: for each query, the graded judgements of the documents assessed for it. Documents not listed
/// are unjudged and count as non-relevant.
/// </summary>
/// <remarks>Immutable and thread-safe. Read one with <see cref="TrecFormat.ReadQrels"/> or <see cref="BeirDataset.ReadQrels"/>.</remarks>
public sealed class Qrels
{
    /// <summary>Initializes a new instance of the <see cref="Qrels"/> class.</summary>
    /// <param name="judgements">For each query id, the grade of each judged document id. Copied.</param>
    /// <exception cref="ArgumentNullException"><paramref name="judgements"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A query or document id is null or empty, or a query has no judgements.</exception>
    public Qrels(IEnumerable<KeyValuePair<string, IReadOnlyDictionary<string, int>>> judgements)
    {
        ArgumentNullException.ThrowIfNull(judgements);
        var copy = new Dictionary<string, IReadOnlyDictionary<string, int>>(StringComparer.Ordinal);
        foreach ((string query, IReadOnlyDictionary<string, int> documents) in judgements)
        {
            if (string.IsNullOrEmpty(query) || documents is null || documents.Count == 0)
            {
                throw new ArgumentException($"Query '{query}' has a null or empty id or no judgements.", nameof(judgements));
            }

            var grades = new Dictionary<string, int>(documents.Count, StringComparer.Ordinal);
            foreach ((string document, int grade) in documents)
            {
                if (string.IsNullOrEmpty(document))
                {
                    throw new ArgumentException($"Query '{query}' has a judgement with a null or empty document id.", nameof(judgements));
                }

                grades[document] = grade;
            }

            if (!copy.TryAdd(query, grades))
            {
                throw new ArgumentException($"Query '{query}' is listed twice.", nameof(judgements));
            }
        }

        Queries = copy;
    }

    /// <summary>Gets, for each query id, the grade of each judged document id.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> Queries { get; }

    /// <summary>Gets the number of judged queries.</summary>
    public int Count => Queries.Count;

    /// <summary>Gets the number of judgements over all queries.</summary>
    public int JudgementCount => Queries.Values.Sum(documents => documents.Count);
}
