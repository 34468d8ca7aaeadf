using System.Globalization;

namespace Rerank.Evaluation;

/// <summary>
/// Reads and writes the TREC formats that trec_eval uses: qrels (<c>qid iter docid grade</c>) and runs
/// (<c>qid Q0 docid rank score tag</c>), whitespace-separated.
/// </summary>
/// <remarks>
/// Files are streamed. A UTF-8 or UTF-16 byte order mark, CR LF line ends and blank lines are accepted (blank lines are
/// skipped). Everything else that trec_eval would refuse or misread is an <see cref="EvaluationDataException"/> naming
/// the file and line: a wrong number of columns, a grade that is not an integer, a score that is not a finite number,
/// the same (query, document) twice.
/// </remarks>
public static class TrecFormat
{
    /// <summary>Reads a TREC qrels file: <c>qid iter docid grade</c> per line.</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">A token that cancels reading.</param>
    /// <returns>The judgements.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null, empty or white space.</exception>
    /// <exception cref="EvaluationDataException">The file is missing, unreadable or malformed; the message names the file and line.</exception>
    public static Qrels ReadQrels(string path, CancellationToken cancellationToken = default)
    {
        var builder = new QrelsBuilder(path);
        foreach ((int number, string line) in DataLines.Read(path, cancellationToken))
        {
            string[] fields = DataLines.SplitWhitespace(line);
            if (fields.Length == 0)
            {
                continue;
            }

            if (fields.Length != 4)
            {
                throw new EvaluationDataException(path, number, $"expected 4 columns 'qid iter docid grade', found {fields.Length}.");
            }

            builder.Add(fields[0], fields[2], DataLines.ParseGrade(fields[3], path, number), number);
        }

        return builder.Build();
    }

    /// <summary>Reads a TREC run file: <c>qid Q0 docid rank score tag</c> per line. The rank column is read but ignored, as trec_eval ignores it.</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">A token that cancels reading.</param>
    /// <returns>The run, named after the tag of its first line.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null, empty or white space.</exception>
    /// <exception cref="EvaluationDataException">The file is missing, unreadable, malformed or empty; the message names the file and line.</exception>
    public static TrecRun ReadRun(string path, CancellationToken cancellationToken = default)
    {
        var queries = new Dictionary<string, List<RunEntry>>(StringComparer.Ordinal);
        var lines = new Dictionary<(string Query, string Document), int>();
        string? tag = null;
        foreach ((int number, string line) in DataLines.Read(path, cancellationToken))
        {
            string[] fields = DataLines.SplitWhitespace(line);
            if (fields.Length == 0)
            {
                continue;
            }

            if (fields.Length != 6)
            {
                throw new EvaluationDataException(path, number, $"expected 6 columns 'qid Q0 docid rank score tag', found {fields.Length}.");
            }

            double score = DataLines.ParseScore(fields[4], path, number);
            if (!lines.TryAdd((fields[0], fields[2]), number))
            {
                throw new EvaluationDataException(path, number, $"query '{fields[0]}' lists document '{fields[2]}' again (first on line {lines[(fields[0], fields[2])]}); trec_eval refuses duplicate documents.");
            }

            tag ??= fields[5];
            if (!queries.TryGetValue(fields[0], out List<RunEntry>? entries))
            {
                queries[fields[0]] = entries = [];
            }

            entries.Add(new RunEntry(fields[2], score));
        }

        if (tag is null)
        {
            throw new EvaluationDataException(path, 0, "the run is empty: no line 'qid Q0 docid rank score tag'.");
        }

        return new TrecRun(tag, queries.Select(pair => KeyValuePair.Create(pair.Key, (IReadOnlyList<RunEntry>)pair.Value)));
    }

    /// <summary>Writes a run in TREC format, each query's documents ranked as trec_eval ranks them, ranks from 1.</summary>
    /// <param name="run">The run.</param>
    /// <param name="writer">Where to write.</param>
    /// <param name="tag">The tag column; the run's name when <see langword="null"/>. Must not contain white space.</param>
    /// <exception cref="ArgumentNullException"><paramref name="run"/> or <paramref name="writer"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The tag or an id contains white space, which would shift the columns.</exception>
    public static void WriteRun(TrecRun run, TextWriter writer, string? tag = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(writer);
        tag ??= run.Name;
        RequireToken(tag, "run tag");
        foreach (string query in run.Queries.Keys.Order(StringComparer.Ordinal))
        {
            RequireToken(query, "query id");
            RunEntry[] ranking = run.GetRanking(query);
            for (int i = 0; i < ranking.Length; i++)
            {
                RequireToken(ranking[i].DocumentId, "document id");

                // "R" round-trips the double exactly, so the file ranks as the run does.
                writer.Write(string.Create(CultureInfo.InvariantCulture, $"{query} Q0 {ranking[i].DocumentId} {i + 1} {ranking[i].Score:R} {tag}\n"));
            }
        }
    }

    /// <summary>Writes a run in TREC format to a file, creating its folder.</summary>
    /// <param name="run">The run.</param>
    /// <param name="path">The file; replaced if it exists.</param>
    /// <param name="tag">The tag column; the run's name when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="run"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty, or the tag or an id contains white space.</exception>
    public static void WriteRun(TrecRun run, string path, string? tag = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        CreateFolder(path);
        using var writer = new StreamWriter(path);
        WriteRun(run, writer, tag);
    }

    /// <summary>Writes judgements in TREC qrels format (<c>qid 0 docid grade</c>), sorted by query and document id.</summary>
    /// <param name="qrels">The judgements.</param>
    /// <param name="writer">Where to write.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An id contains white space.</exception>
    public static void WriteQrels(Qrels qrels, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(qrels);
        ArgumentNullException.ThrowIfNull(writer);
        foreach ((string query, IReadOnlyDictionary<string, int> documents) in qrels.Queries.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            RequireToken(query, "query id");
            foreach ((string document, int grade) in documents.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                RequireToken(document, "document id");
                writer.Write(string.Create(CultureInfo.InvariantCulture, $"{query} 0 {document} {grade}\n"));
            }
        }
    }

    /// <summary>Finds the line of a run file that lists (query, document), for error messages; 0 if none does.</summary>
    internal static int FindRunLine(string path, string queryId, string documentId)
    {
        foreach ((int number, string line) in DataLines.Read(path, CancellationToken.None))
        {
            string[] fields = DataLines.SplitWhitespace(line);
            if (fields.Length >= 3 && fields[0] == queryId && fields[2] == documentId)
            {
                return number;
            }
        }

        return 0;
    }

    internal static void CreateFolder(string path)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }
    }

    private static void RequireToken(string value, string what)
    {
        if (value.Length == 0 || value.AsSpan().IndexOfAny(" \t\r\n") >= 0)
        {
            throw new ArgumentException($"The {what} '{value}' is empty or contains white space, which the TREC format cannot hold.");
        }
    }
}
