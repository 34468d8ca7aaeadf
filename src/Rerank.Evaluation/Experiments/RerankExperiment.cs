namespace Rerank.Evaluation;

/// <summary>
/// Runs the protocol of the field: the first stage is fixed per query and only the reranker varies. Every system
/// reranks the same top-k candidates of every judged query; the report gives each system's metrics, its gain over the
/// first stage with a bootstrap confidence interval, per-query wins, ties and losses, latency, usage, and the
/// significance of every pairwise difference (paired randomisation test and paired t-test, Holm–Bonferroni corrected).
/// </summary>
/// <remarks>
/// <para>
/// Queries run one after another and, within a query, the systems one after another, each timed alone: latency is not
/// disturbed by concurrency, and a machine slowing down part-way affects every system alike. Each reranker's ranking
/// is evaluated as trec_eval would evaluate the run file of its scores (ties broken by document id).
/// </para>
/// <para>
/// Cancellation stops at the next reranker call; the report then covers the queries that every system completed and
/// says <see cref="ExperimentReport.Completed"/> = <see langword="false"/>. It throws only when no query had completed.
/// The experiment never disposes the rerankers.
/// </para>
/// </remarks>
public static class RerankExperiment
{
    /// <summary>Runs an experiment.</summary>
    /// <param name="data">The queries, judgements, first stage and candidate texts.</param>
    /// <param name="systems">The rerankers to compare; names must be unique and differ from the first stage's.</param>
    /// <param name="options">The settings; the defaults when <see langword="null"/>.</param>
    /// <param name="progress">Told after each query, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the experiment; the report covers what completed.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> or <paramref name="systems"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A system is null or two share a name.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="EvaluationDataException">No judged query has a text, or a candidate's text is missing.</exception>
    /// <exception cref="InvalidOperationException">A reranker failed or returned a score that is not finite; the message names the system and the query.</exception>
    /// <exception cref="OperationCanceledException">Cancelled before the first query completed.</exception>
    public static async Task<ExperimentReport> RunAsync(
        ExperimentData data,
        IReadOnlyList<ExperimentSystem> systems,
        ExperimentOptions? options = null,
        IProgress<ExperimentProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(systems);
        options ??= new ExperimentOptions();
        options.Validate();
        IReadOnlyList<Metric> metrics = options.Metrics ?? Metric.Defaults;
        TimeProvider time = options.TimeProvider ?? TimeProvider.System;
        string firstStageName = data.FirstStage.Name + " (first stage)";
        var names = new HashSet<string>(StringComparer.Ordinal) { firstStageName };
        foreach (ExperimentSystem? system in systems)
        {
            if (system is null || !names.Add(system.Name))
            {
                throw new ArgumentException($"Systems must be non-null with unique names, different from '{firstStageName}'; '{system?.Name}' is null or repeated.", nameof(systems));
            }
        }

        string[] queries = [.. data.Qrels.Queries.Keys.Where(data.Queries.ContainsKey).Order(QueryIdComparer.Instance)];
        if (queries.Length == 0)
        {
            throw new EvaluationDataException(null, 0, "No judged query has a text; nothing to evaluate.");
        }

        int systemCount = systems.Count + 1;
        var values = new List<double[]>[systemCount];
        var rankings = new Dictionary<string, IReadOnlyList<RunEntry>>[systemCount];
        var latencies = new List<double>[systemCount];
        var documentsScored = new long[systemCount];
        var usage = new RerankUsage?[systemCount];
        for (int s = 0; s < systemCount; s++)
        {
            values[s] = [];
            rankings[s] = new Dictionary<string, IReadOnlyList<RunEntry>>(StringComparer.Ordinal);
            latencies[s] = [];
        }

        long started = time.GetTimestamp();
        var completed = new List<string>(queries.Length);
        bool cancelled = false;
        var row = new double[metrics.Count];
        foreach (string query in queries)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                cancelled = true;
                break;
            }

            IReadOnlyDictionary<string, int> judgements = data.Qrels.Queries[query];
            RunEntry[] candidates = [.. data.FirstStage.GetRanking(query).Take(options.TopK)];
            var documents = new RerankDocument[candidates.Length];
            for (int i = 0; i < candidates.Length; i++)
            {
                string id = candidates[i].DocumentId;
                string text = data.Documents.TryGetValue(id, out string? found)
                    ? found
                    : throw new EvaluationDataException(null, 0, $"Candidate document '{id}' of query '{query}' has no text in the experiment's documents.");
                documents[i] = new RerankDocument(text) { Id = id, Score = candidates[i].Score };
            }

            var pending = new (double[] Values, RunEntry[] Ranking, double Milliseconds, RerankUsage? Usage)[systemCount];
            RunEvaluator.Evaluate(judgements, candidates, metrics, options.RelevanceLevel, row, checkDuplicates: false);
            pending[0] = ([.. row], candidates, 0, null);
            try
            {
                for (int s = 1; s < systemCount; s++)
                {
                    pending[s] = await RerankOneAsync(systems[s - 1], query, data.Queries[query], documents, judgements, metrics, options.RelevanceLevel, row, time, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                cancelled = true;
                break;
            }

            for (int s = 0; s < systemCount; s++)
            {
                values[s].Add(pending[s].Values);
                rankings[s][query] = pending[s].Ranking;
                if (s > 0 && documents.Length > 0)
                {
                    latencies[s].Add(pending[s].Milliseconds);
                    documentsScored[s] += documents.Length;
                }

                if (pending[s].Usage is RerankUsage used)
                {
                    (usage[s] ??= new RerankUsage()).Add(used);
                }
            }

            completed.Add(query);
            progress?.Report(new ExperimentProgress(completed.Count, queries.Length, time.GetElapsedTime(started)));
        }

        if (completed.Count == 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
        }

        var build = new ReportBuilder(options, metrics, completed);
        var systemReports = new List<SystemReport>(systemCount);
        var runs = new Dictionary<string, TrecRun>(StringComparer.Ordinal);
        for (int s = 0; s < systemCount; s++)
        {
            string name = s == 0 ? firstStageName : systems[s - 1].Name;
            systemReports.Add(build.System(
                name,
                s == 0 ? $"first stage '{data.FirstStage.Name}', top {options.TopK}" : systems[s - 1].Description,
                s == 0,
                values[s],
                values[0],
                s == 0 ? null : build.Latency(latencies[s], documentsScored[s]),
                usage[s]));
            runs[name] = new TrecRun(RunTag(name), rankings[s]);
        }

        var warnings = new List<string>(data.Warnings);
        int pairs = systemCount * (systemCount - 1) / 2;
        bool exact = completed.Count < 31 && (1L << completed.Count) <= options.PermutationSamples;
        if (!exact && pairs / (options.PermutationSamples + 1.0) >= 0.05)
        {
            // A sampled test cannot report p below 1 / (samples + 1), and Holm multiplies the smallest by the number of pairs.
            warnings.Add($"With {options.PermutationSamples} randomisation samples and {pairs} comparisons per metric, no Holm-corrected randomisation p-value can fall below 0.05; raise the number of samples (--permutation-samples) to at least {(int)Math.Ceiling(pairs / 0.05 * 10)}.");
        }

        if (cancelled)
        {
            warnings.Add($"Cancelled after {completed.Count} of {queries.Length} queries; the results cover those queries only.");
        }

        return new ExperimentReport
        {
            Dataset = data.Name,
            FirstStage = data.FirstStage.Name,
            TopK = options.TopK,
            RelevanceLevel = options.RelevanceLevel,
            Metrics = [.. metrics.Select(metric => metric.Name)],
            QueryIds = completed,
            PlannedQueries = queries.Length,
            Completed = !cancelled,
            Seed = options.Seed,
            BootstrapSamples = options.BootstrapSamples,
            PermutationSamples = options.PermutationSamples,
            ConfidenceLevel = options.ConfidenceLevel,
            CreatedAt = time.GetUtcNow(),
            Systems = systemReports,
            Comparisons = build.Comparisons(systemReports),
            Warnings = warnings,
            Runs = runs,
        };
    }

    private static async Task<(double[] Values, RunEntry[] Ranking, double Milliseconds, RerankUsage? Usage)> RerankOneAsync(
        ExperimentSystem system,
        string queryId,
        string queryText,
        RerankDocument[] documents,
        IReadOnlyDictionary<string, int> judgements,
        IReadOnlyList<Metric> metrics,
        int relevanceLevel,
        double[] row,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (documents.Length == 0)
        {
            // No candidates: nothing to rerank, and every metric is 0 for every system alike.
            RunEvaluator.EvaluateRanking(judgements, [], metrics, relevanceLevel, row);
            return ([.. row], [], 0, null);
        }

        RerankResponse response;
        long start = time.GetTimestamp();
        try
        {
            response = await system.Reranker.RerankAsync(queryText, documents, options: null, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException($"System '{system.Name}' failed on query '{queryId}': {ex.Message}", ex);
        }

        double milliseconds = time.GetElapsedTime(start).TotalMilliseconds;
        var ranking = new RunEntry[response.Results.Count];
        var seen = new bool[documents.Length];
        for (int i = 0; i < ranking.Length; i++)
        {
            RerankResult result = response.Results[i];
            if ((uint)result.Index >= (uint)documents.Length || seen[result.Index])
            {
                throw new InvalidOperationException($"System '{system.Name}' returned index {result.Index} for query '{queryId}', outside its {documents.Length} candidates or twice.");
            }

            if (!double.IsFinite(result.Score))
            {
                throw new InvalidOperationException($"System '{system.Name}' gave candidate '{documents[result.Index].Id}' of query '{queryId}' the score {result.Score}; a ranking needs finite scores.");
            }

            seen[result.Index] = true;
            ranking[i] = new RunEntry(documents[result.Index].Id!, result.Score);
        }

        // Indexes were checked for duplicates above, so the ranking needs no second check.
        TrecOrder.Sort(ranking);
        RunEvaluator.Evaluate(judgements, ranking, metrics, relevanceLevel, row, checkDuplicates: false);
        return ([.. row], ranking, milliseconds, response.Usage);
    }

    private static string RunTag(string name)
    {
        var tag = new System.Text.StringBuilder(name.Length);
        foreach (char c in name)
        {
            tag.Append(char.IsWhiteSpace(c) ? '_' : c);
        }

        return tag.ToString();
    }
}
