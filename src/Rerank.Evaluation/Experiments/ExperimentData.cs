namespace Rerank.Evaluation;

/// <summary>
/// What an experiment needs: the queries, their judgements, a fixed first-stage run, and the text of every candidate
/// document. Build it from a BEIR folder with <see cref="FromBeir"/>, or from data of your own.
/// </summary>
/// <remarks>Immutable once built, and thread-safe.</remarks>
public sealed class ExperimentData
{
    /// <summary>Initializes a new instance of the <see cref="ExperimentData"/> class.</summary>
    /// <param name="name">A name for reports, such as the dataset folder's.</param>
    /// <param name="queries">The text of each query, by id.</param>
    /// <param name="qrels">The judgements.</param>
    /// <param name="firstStage">The first-stage run whose top candidates every reranker reranks.</param>
    /// <param name="documents">The text of each candidate document, by id; must hold every document of <paramref name="firstStage"/> that an experiment reaches.</param>
    /// <param name="warnings">What was left out while loading, and why.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public ExperimentData(string name, IReadOnlyDictionary<string, string> queries, Qrels qrels, TrecRun firstStage, IReadOnlyDictionary<string, string> documents, IReadOnlyList<string>? warnings = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(qrels);
        ArgumentNullException.ThrowIfNull(firstStage);
        ArgumentNullException.ThrowIfNull(documents);
        Name = name;
        Queries = queries;
        Qrels = qrels;
        FirstStage = firstStage;
        Documents = documents;
        Warnings = warnings ?? [];
    }

    /// <summary>Gets the name for reports.</summary>
    public string Name { get; }

    /// <summary>Gets the text of each query, by id.</summary>
    public IReadOnlyDictionary<string, string> Queries { get; }

    /// <summary>Gets the judgements.</summary>
    public Qrels Qrels { get; }

    /// <summary>Gets the first-stage run.</summary>
    public TrecRun FirstStage { get; }

    /// <summary>Gets the text of each candidate document, by id.</summary>
    public IReadOnlyDictionary<string, string> Documents { get; }

    /// <summary>Gets what was left out while loading, and why.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Gets the whole-corpus BM25 index when the first stage was built-in BM25, else <see langword="null"/>; its <see cref="Bm25Index.Statistics"/> let a BM25 reranker score as the first stage did.</summary>
    public Bm25Index? Bm25Index { get; private init; }

    /// <summary>
    /// Loads a BEIR folder with a first stage: a TREC run file from your own retriever, or, when
    /// <paramref name="runPath"/> is <see langword="null"/>, BM25 over the whole corpus.
    /// </summary>
    /// <param name="dataset">The BEIR folder.</param>
    /// <param name="split">The judgements' split, such as <c>test</c>.</param>
    /// <param name="topK">How many candidates per query to keep from the first stage; at least 1.</param>
    /// <param name="runPath">A TREC run file, or <see langword="null"/> for built-in BM25.</param>
    /// <param name="bm25Options">The first-stage BM25's k1, b and analyser when <paramref name="runPath"/> is <see langword="null"/>; Pyserini's BEIR settings (k1 = 0.9, b = 0.4) when <see langword="null"/>.</param>
    /// <param name="cancellationToken">A token that cancels loading.</param>
    /// <returns>The data. The corpus is streamed: with a run file once, keeping only the candidates' texts; with BM25 twice, once to index (keeping no text) and once for the candidates' texts.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dataset"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="topK"/> is less than 1.</exception>
    /// <exception cref="EvaluationDataException">
    /// A file is missing or malformed, no judged query has a text, the run shares no query with the judgements, or the
    /// corpus lacks a candidate document; the message names the file and line.
    /// </exception>
    public static ExperimentData FromBeir(BeirDataset dataset, string split, int topK, string? runPath = null, Bm25Options? bm25Options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentOutOfRangeException.ThrowIfLessThan(topK, 1);
        IReadOnlyDictionary<string, string> queries = dataset.ReadQueries(cancellationToken);
        Qrels qrels = dataset.ReadQrels(split, cancellationToken);
        var warnings = new List<string>();
        string[] withoutText = [.. qrels.Queries.Keys.Where(query => !queries.ContainsKey(query)).Order(QueryIdComparer.Instance)];
        if (withoutText.Length == qrels.Count)
        {
            throw new EvaluationDataException(dataset.GetQrelsPath(split), 0, $"none of the {qrels.Count} judged queries is in {dataset.QueriesPath}; check that both use the same query ids.");
        }

        if (withoutText.Length > 0)
        {
            warnings.Add($"{withoutText.Length} judged queries have no text in {dataset.QueriesPath} and are left out: {RunEvaluator.Abbreviate(withoutText)}.");
        }

        TrecRun run;
        Bm25Index? index = null;
        if (runPath is null)
        {
            index = Bm25Index.Create(
                dataset.ReadCorpus(cancellationToken: cancellationToken).Select(document => KeyValuePair.Create(document.Id, document.FullText)),
                bm25Options ?? new Bm25Options { K1 = 0.9, B = 0.4 },
                cancellationToken);
            var ranked = new Dictionary<string, IReadOnlyList<RunEntry>>(StringComparer.Ordinal);
            foreach (string query in qrels.Queries.Keys)
            {
                if (queries.TryGetValue(query, out string? text))
                {
                    ranked[query] = [.. index.Search(text, topK, cancellationToken).Select(hit => new RunEntry(hit.Id, hit.Score))];
                }
            }

            run = new TrecRun("bm25", ranked);
        }
        else
        {
            run = TrecFormat.ReadRun(runPath, cancellationToken);
            string[] unjudged = [.. run.Queries.Keys.Where(query => !qrels.Queries.ContainsKey(query)).Order(QueryIdComparer.Instance)];
            if (unjudged.Length == run.Queries.Count)
            {
                throw new EvaluationDataException(runPath, 0, $"none of the run's {run.Queries.Count} queries is judged in {dataset.GetQrelsPath(split)}; check that both use the same query ids.");
            }

            if (unjudged.Length > 0)
            {
                warnings.Add($"{unjudged.Length} queries of {runPath} have no judgements and are left out: {RunEvaluator.Abbreviate(unjudged)}.");
            }
        }

        // Only the candidates that an experiment will rerank need their text.
        var needed = new HashSet<string>(StringComparer.Ordinal);
        foreach (string query in qrels.Queries.Keys)
        {
            if (queries.ContainsKey(query))
            {
                foreach (RunEntry entry in run.GetRanking(query).Take(topK))
                {
                    needed.Add(entry.DocumentId);
                }
            }
        }

        var documents = new Dictionary<string, string>(needed.Count, StringComparer.Ordinal);
        foreach (CorpusDocument document in dataset.ReadCorpus(needed.Contains, cancellationToken))
        {
            documents[document.Id] = document.FullText;
        }

        if (documents.Count < needed.Count)
        {
            string missing = needed.Where(id => !documents.ContainsKey(id)).Order(StringComparer.Ordinal).First();
            string query = run.Queries.First(pair => pair.Value.Any(entry => entry.DocumentId == missing)).Key;
            string source = runPath ?? "the BM25 first stage";
            int line = runPath is null ? 0 : TrecFormat.FindRunLine(runPath, query, missing);
            throw new EvaluationDataException(runPath, line, $"candidate document '{missing}' (query '{query}', from {source}) is not in {dataset.CorpusPath}; {needed.Count - documents.Count} candidates are missing in all. Was the run made from another corpus?");
        }

        return new ExperimentData(Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(dataset.Directory))), queries, qrels, run, documents, warnings) { Bm25Index = index };
    }
}
