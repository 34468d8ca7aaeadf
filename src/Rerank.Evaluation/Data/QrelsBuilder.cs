namespace Rerank.Evaluation;

/// <summary>Collects judgements line by line and refuses a (query, document) judged twice, naming both lines.</summary>
internal sealed class QrelsBuilder(string path)
{
    private readonly Dictionary<string, Dictionary<string, int>> _queries = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Query, string Document), int> _lines = [];

    public void Add(string query, string document, int grade, int line)
    {
        if (!_lines.TryAdd((query, document), line))
        {
            throw new EvaluationDataException(path, line, $"query '{query}' judges document '{document}' again (first on line {_lines[(query, document)]}); trec_eval refuses duplicate judgements.");
        }

        if (!_queries.TryGetValue(query, out Dictionary<string, int>? documents))
        {
            _queries[query] = documents = new Dictionary<string, int>(StringComparer.Ordinal);
        }

        documents[document] = grade;
    }

    public Qrels Build()
    {
        if (_queries.Count == 0)
        {
            throw new EvaluationDataException(path, 0, "the judgements are empty: no line with a query, a document and a grade.");
        }

        return new Qrels(_queries.Select(pair => KeyValuePair.Create(pair.Key, (IReadOnlyDictionary<string, int>)pair.Value)));
    }
}
