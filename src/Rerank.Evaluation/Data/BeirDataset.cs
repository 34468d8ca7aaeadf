using System.Text;
using System.Text.Json;

namespace Rerank.Evaluation;

/// <summary>
/// A dataset in the BEIR layout: <c>corpus.jsonl</c> (<c>{"_id", "title", "text"}</c> per line),
/// <c>queries.jsonl</c> (<c>{"_id", "text"}</c> per line) and <c>qrels/&lt;split&gt;.tsv</c>
/// (<c>query-id corpus-id score</c>, tab-separated, after a header line).
/// </summary>
/// <remarks>
/// <para>
/// Every file is streamed; <see cref="ReadCorpus"/> yields documents one at a time, so a corpus larger than memory can
/// be filtered down to the documents an experiment needs in one pass.
/// </para>
/// <para>
/// Errors name the file and line: malformed JSON, a missing or empty <c>_id</c>, an id listed twice, an empty query
/// text, a grade that is not an integer, a wrong number of columns. A byte order mark, CR LF and blank lines are accepted.
/// </para>
/// </remarks>
public sealed class BeirDataset
{
    /// <summary>Initializes a new instance of the <see cref="BeirDataset"/> class.</summary>
    /// <param name="directory">The dataset folder.</param>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is null, empty or white space.</exception>
    /// <exception cref="EvaluationDataException">The folder does not exist.</exception>
    public BeirDataset(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (!System.IO.Directory.Exists(directory))
        {
            throw new EvaluationDataException(directory, 0, "the dataset folder does not exist (expected corpus.jsonl, queries.jsonl and qrels/<split>.tsv in it).");
        }

        Directory = directory;
    }

    /// <summary>Gets the dataset folder.</summary>
    public string Directory { get; }

    /// <summary>Gets the path of <c>corpus.jsonl</c>.</summary>
    public string CorpusPath => Path.Combine(Directory, "corpus.jsonl");

    /// <summary>Gets the path of <c>queries.jsonl</c>.</summary>
    public string QueriesPath => Path.Combine(Directory, "queries.jsonl");

    /// <summary>Gets the path of the judgements of a split.</summary>
    /// <param name="split">The split, such as <c>test</c> or <c>dev</c>.</param>
    /// <returns>The path of <c>qrels/&lt;split&gt;.tsv</c>.</returns>
    /// <exception cref="ArgumentException"><paramref name="split"/> is empty or is not a plain file name.</exception>
    public string GetQrelsPath(string split)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(split);
        if (split.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || split.Contains("..", StringComparison.Ordinal))
        {
            throw new ArgumentException($"The split '{split}' is not a plain name such as 'test'.", nameof(split));
        }

        return Path.Combine(Directory, "qrels", split + ".tsv");
    }

    /// <summary>Reads the queries.</summary>
    /// <param name="cancellationToken">A token that cancels reading.</param>
    /// <returns>The text of each query, by id.</returns>
    /// <exception cref="EvaluationDataException">The file is missing or malformed, an id is listed twice, or a query text is empty; the message names the file and line.</exception>
    public IReadOnlyDictionary<string, string> ReadQueries(CancellationToken cancellationToken = default)
    {
        string path = QueriesPath;
        var queries = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach ((int number, JsonElement record) in ReadJsonLines(path, cancellationToken))
        {
            string id = ReadId(record, path, number);
            string text = ReadString(record, "text", path, number, required: true);
            if (string.IsNullOrWhiteSpace(text))
            {
                throw new EvaluationDataException(path, number, $"query '{id}' has an empty text; a reranker cannot score against it. Remove the query or its judgements.");
            }

            if (!lines.TryAdd(id, number))
            {
                throw new EvaluationDataException(path, number, $"query id '{id}' is listed again (first on line {lines[id]}).");
            }

            queries[id] = text;
        }

        return queries;
    }

    /// <summary>Reads the judgements of a split.</summary>
    /// <param name="split">The split, <c>test</c> by default.</param>
    /// <param name="cancellationToken">A token that cancels reading.</param>
    /// <returns>The judgements.</returns>
    /// <exception cref="ArgumentException"><paramref name="split"/> is not a plain name.</exception>
    /// <exception cref="EvaluationDataException">The file is missing or malformed; the message names the file and line.</exception>
    public Qrels ReadQrels(string split = "test", CancellationToken cancellationToken = default) => ReadQrelsTsv(GetQrelsPath(split), cancellationToken);

    /// <summary>Reads BEIR judgements from a TSV file: an optional header line, then <c>query-id corpus-id score</c>, tab-separated.</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">A token that cancels reading.</param>
    /// <returns>The judgements.</returns>
    /// <exception cref="EvaluationDataException">The file is missing or malformed; the message names the file and line.</exception>
    public static Qrels ReadQrelsTsv(string path, CancellationToken cancellationToken = default)
    {
        var builder = new QrelsBuilder(path);
        bool first = true;
        foreach ((int number, string line) in DataLines.Read(path, cancellationToken))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            string[] fields = line.Split('\t');
            if (first)
            {
                first = false;
                if (fields.Length == 3 && !int.TryParse(fields[2], out _) && fields[0].Trim() is "query-id" or "qid" or "query_id")
                {
                    continue;
                }
            }

            if (fields.Length != 3)
            {
                throw new EvaluationDataException(path, number, $"expected 3 tab-separated columns 'query-id corpus-id score', found {fields.Length}.");
            }

            string query = fields[0].Trim(), document = fields[1].Trim();
            if (query.Length == 0 || document.Length == 0)
            {
                throw new EvaluationDataException(path, number, "the query id or the document id is empty.");
            }

            builder.Add(query, document, DataLines.ParseGrade(fields[2].Trim(), path, number), number);
        }

        return builder.Build();
    }

    /// <summary>Streams the corpus, one document at a time, optionally keeping only some.</summary>
    /// <param name="keep">Says which document ids to yield; <see langword="null"/> yields every document. Documents not kept are parsed only as far as their id.</param>
    /// <param name="cancellationToken">A token that cancels reading.</param>
    /// <returns>The documents, in file order.</returns>
    /// <exception cref="EvaluationDataException">The file is missing or malformed, or an id is listed twice; the message names the file and line.</exception>
    public IEnumerable<CorpusDocument> ReadCorpus(Func<string, bool>? keep = null, CancellationToken cancellationToken = default)
    {
        string path = CorpusPath;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach ((int number, JsonElement record) in ReadJsonLines(path, cancellationToken))
        {
            string id = ReadId(record, path, number);
            if (!seen.Add(id))
            {
                throw new EvaluationDataException(path, number, $"document id '{id}' is listed again.");
            }

            if (keep is not null && !keep(id))
            {
                continue;
            }

            yield return new CorpusDocument(id, ReadString(record, "title", path, number, required: false), ReadString(record, "text", path, number, required: true));
        }
    }

    /// <summary>Writes documents as <c>corpus.jsonl</c>.</summary>
    /// <param name="documents">The documents.</param>
    /// <param name="path">The file; replaced if it exists.</param>
    /// <exception cref="ArgumentNullException"><paramref name="documents"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    public static void WriteCorpus(IEnumerable<CorpusDocument> documents, string path)
    {
        ArgumentNullException.ThrowIfNull(documents);
        WriteJsonLines(path, documents, static (writer, document) =>
        {
            writer.WriteString("_id", document.Id);
            writer.WriteString("title", document.Title);
            writer.WriteString("text", document.Text);
        });
    }

    /// <summary>Writes queries as <c>queries.jsonl</c>.</summary>
    /// <param name="queries">The text of each query, by id.</param>
    /// <param name="path">The file; replaced if it exists.</param>
    /// <exception cref="ArgumentNullException"><paramref name="queries"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    public static void WriteQueries(IEnumerable<KeyValuePair<string, string>> queries, string path)
    {
        ArgumentNullException.ThrowIfNull(queries);
        WriteJsonLines(path, queries, static (writer, query) =>
        {
            writer.WriteString("_id", query.Key);
            writer.WriteString("text", query.Value);
        });
    }

    /// <summary>Writes judgements as a BEIR qrels TSV with its header, sorted by query and document id.</summary>
    /// <param name="qrels">The judgements.</param>
    /// <param name="path">The file; replaced if it exists.</param>
    /// <exception cref="ArgumentNullException"><paramref name="qrels"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty, or an id contains a tab or a line break.</exception>
    public static void WriteQrelsTsv(Qrels qrels, string path)
    {
        ArgumentNullException.ThrowIfNull(qrels);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        TrecFormat.CreateFolder(path);
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false));
        writer.Write("query-id\tcorpus-id\tscore\n");
        foreach ((string query, IReadOnlyDictionary<string, int> documents) in qrels.Queries.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            foreach ((string document, int grade) in documents.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                if ((query + document).AsSpan().IndexOfAny("\t\r\n") >= 0)
                {
                    throw new ArgumentException($"The id '{query}' or '{document}' contains a tab or a line break, which the TSV cannot hold.", nameof(qrels));
                }

                writer.Write($"{query}\t{document}\t{grade}\n");
            }
        }
    }

    private static IEnumerable<(int Number, JsonElement Record)> ReadJsonLines(string path, CancellationToken cancellationToken)
    {
        foreach ((int number, string line) in DataLines.Read(path, cancellationToken))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            JsonElement record;
            try
            {
                using JsonDocument document = JsonDocument.Parse(line);
                record = document.RootElement.Clone();
            }
            catch (JsonException ex)
            {
                throw new EvaluationDataException(path, number, $"the line is not valid JSON: {ex.Message}", ex);
            }

            if (record.ValueKind != JsonValueKind.Object)
            {
                throw new EvaluationDataException(path, number, $"expected a JSON object per line, found {record.ValueKind}.");
            }

            yield return (number, record);
        }
    }

    private static string ReadId(JsonElement record, string path, int number)
    {
        // Some exports write numeric ids; their text is the id.
        if (!record.TryGetProperty("_id", out JsonElement id) || id.ValueKind is not (JsonValueKind.String or JsonValueKind.Number))
        {
            throw new EvaluationDataException(path, number, "the record has no \"_id\" string.");
        }

        string text = id.ValueKind == JsonValueKind.String ? id.GetString()! : id.GetRawText();
        return text.Length == 0 ? throw new EvaluationDataException(path, number, "the \"_id\" is empty.") : text;
    }

    private static string ReadString(JsonElement record, string name, string path, int number, bool required)
    {
        if (!record.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return required ? throw new EvaluationDataException(path, number, $"the record has no \"{name}\".") : string.Empty;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new EvaluationDataException(path, number, $"\"{name}\" is a {value.ValueKind}, not a string.");
    }

    private static void WriteJsonLines<T>(string path, IEnumerable<T> items, Action<Utf8JsonWriter, T> write)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        TrecFormat.CreateFolder(path);
        using FileStream stream = File.Create(path);
        foreach (T item in items)
        {
            using (var writer = new Utf8JsonWriter(stream))
            {
                writer.WriteStartObject();
                write(writer, item);
                writer.WriteEndObject();
            }

            stream.WriteByte((byte)'\n');
        }
    }
}
