namespace Rerank.Evaluation;

/// <summary>
/// Computes IR metrics of a run against judgements with trec_eval's definitions, so that the numbers compare with
/// published ones.
/// </summary>
/// <remarks>
/// <para>
/// Ranking is trec_eval's: documents sort by score descending and equal scores by document id in descending byte
/// order (<c>strcmp</c>, so "9" ranks before "10"); any rank column is ignored. Unjudged documents are non-relevant.
/// A document is relevant when its grade is at least <see cref="EvaluationOptions.RelevanceLevel"/>; nDCG uses the
/// grades as gains (grades of 0 and below gain nothing) and builds the ideal ranking from every judged grade of the
/// query, retrieved or not. A judged query without relevant documents scores 0 on every metric.
/// </para>
/// <para>Thread-safe: it keeps no state.</para>
/// </remarks>
public static class RunEvaluator
{
    private const int Unjudged = int.MinValue;

    /// <summary>Evaluates a run.</summary>
    /// <param name="qrels">The judgements.</param>
    /// <param name="run">The run.</param>
    /// <param name="metrics">The metrics; <see cref="Metric.Defaults"/> when <see langword="null"/>.</param>
    /// <param name="options">Relevance level and averaging; trec_eval's defaults when <see langword="null"/>.</param>
    /// <returns>Per-query values and means, with a warning for each kind of query left out.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="qrels"/> or <paramref name="run"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="metrics"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="EvaluationOptions.RelevanceLevel"/> is negative.</exception>
    /// <exception cref="EvaluationDataException">No query of the run is judged (and <see cref="EvaluationOptions.AllJudgedQueries"/> is off): a mean over no queries would be meaningless.</exception>
    public static EvaluationResult Evaluate(Qrels qrels, TrecRun run, IReadOnlyList<Metric>? metrics = null, EvaluationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(qrels);
        ArgumentNullException.ThrowIfNull(run);
        metrics ??= Metric.Defaults;
        if (metrics.Count == 0)
        {
            throw new ArgumentException("Give at least one metric.", nameof(metrics));
        }

        options ??= new EvaluationOptions();
        options.Validate();

        var warnings = new List<string>();
        string[] unjudged = [.. run.Queries.Keys.Where(query => !qrels.Queries.ContainsKey(query)).Order(StringComparer.Ordinal)];
        if (unjudged.Length > 0)
        {
            warnings.Add($"{unjudged.Length} of the run's {run.Queries.Count} queries have no judgements and are left out of the means: {Abbreviate(unjudged)}.");
        }

        IEnumerable<string> evaluated = options.AllJudgedQueries
            ? qrels.Queries.Keys
            : qrels.Queries.Keys.Where(run.Queries.ContainsKey);
        string[] queries = [.. evaluated.Order(StringComparer.Ordinal)];
        if (queries.Length == 0)
        {
            throw new EvaluationDataException(null, 0, $"No query of the run '{run.Name}' has judgements ({run.Queries.Count} run queries, {qrels.Count} judged queries, none in common): check that both files use the same query ids.");
        }

        if (options.AllJudgedQueries)
        {
            int missing = queries.Count(query => !run.Queries.ContainsKey(query));
            if (missing > 0)
            {
                warnings.Add($"{missing} judged queries have no results in the run and count 0 (all-queries averaging).");
            }
        }

        var sums = new double[metrics.Count];
        var values = new double[metrics.Count];
        var perQuery = new Dictionary<string, IReadOnlyDictionary<string, double>>(queries.Length, StringComparer.Ordinal);
        foreach (string query in queries)
        {
            // A TrecRun refuses duplicates when it is built, so the ranking needs no second check.
            Evaluate(qrels.Queries[query], run.GetRanking(query), metrics, options.RelevanceLevel, values, checkDuplicates: false);
            var row = new Dictionary<string, double>(metrics.Count, StringComparer.Ordinal);
            for (int m = 0; m < metrics.Count; m++)
            {
                sums[m] += values[m];
                row[metrics[m].Name] = values[m];
            }

            perQuery[query] = row;
        }

        var mean = new Dictionary<string, double>(metrics.Count, StringComparer.Ordinal);
        for (int m = 0; m < metrics.Count; m++)
        {
            mean[metrics[m].Name] = sums[m] / queries.Length;
        }

        return new EvaluationResult(metrics, mean, perQuery, warnings);
    }

    /// <summary>Computes the metrics of one query's ranking, already in rank order.</summary>
    /// <param name="judgements">The query's judgements (document id → grade); <see langword="null"/> or empty when it has none, which scores 0.</param>
    /// <param name="ranking">The retrieved documents, best first. Scores are not looked at; use <see cref="TrecRun.GetRanking"/> for trec_eval's order.</param>
    /// <param name="metrics">The metrics.</param>
    /// <param name="relevanceLevel">The lowest relevant grade; at least 0.</param>
    /// <param name="values">Receives one value per metric, in the order of <paramref name="metrics"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="metrics"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="values"/> is shorter than <paramref name="metrics"/>, or a document is listed twice.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="relevanceLevel"/> is negative.</exception>
    public static void EvaluateRanking(IReadOnlyDictionary<string, int>? judgements, ReadOnlySpan<RunEntry> ranking, IReadOnlyList<Metric> metrics, int relevanceLevel, Span<double> values)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentOutOfRangeException.ThrowIfNegative(relevanceLevel);
        if (values.Length < metrics.Count)
        {
            throw new ArgumentException($"Room for {values.Length} values, but {metrics.Count} metrics.", nameof(values));
        }

        Evaluate(judgements, ranking, metrics, relevanceLevel, values, checkDuplicates: true);
    }

    internal static void Evaluate(IReadOnlyDictionary<string, int>? judgements, ReadOnlySpan<RunEntry> ranking, IReadOnlyList<Metric> metrics, int relevanceLevel, Span<double> values, bool checkDuplicates)
    {
        var grades = new int[ranking.Length];
        int relevantJudged = 0;
        int[] ideal = [];
        if (judgements is { Count: > 0 })
        {
            var seen = checkDuplicates && ranking.Length > 64 ? new HashSet<string>(ranking.Length, StringComparer.Ordinal) : null;
            for (int i = 0; i < ranking.Length; i++)
            {
                string id = ranking[i].DocumentId;
                if (checkDuplicates && (seen is not null ? !seen.Add(id) : IndexOf(ranking[..i], id) >= 0))
                {
                    throw new ArgumentException($"Document '{id}' is ranked twice; trec_eval refuses duplicate documents.", nameof(ranking));
                }

                grades[i] = judgements.TryGetValue(id, out int grade) ? grade : Unjudged;
            }

            int positive = 0;
            foreach (int grade in judgements.Values)
            {
                if (grade >= relevanceLevel)
                {
                    relevantJudged++;
                }

                if (grade > 0)
                {
                    positive++;
                }
            }

            ideal = new int[positive];
            int next = 0;
            foreach (int grade in judgements.Values)
            {
                if (grade > 0)
                {
                    ideal[next++] = grade;
                }
            }

            Array.Sort(ideal, static (a, b) => b.CompareTo(a));
        }
        else
        {
            Array.Fill(grades, Unjudged);
        }

        for (int m = 0; m < metrics.Count; m++)
        {
            Metric metric = metrics[m];
            int depth = metric.Cutoff is int k ? Math.Min(k, grades.Length) : grades.Length;
            values[m] = metric.Kind switch
            {
                MetricKind.Ndcg => Ndcg(grades, ideal, depth, metric.Cutoff ?? int.MaxValue),
                MetricKind.ReciprocalRank => ReciprocalRank(grades, depth, relevanceLevel),
                MetricKind.AveragePrecision => relevantJudged == 0 ? 0 : AveragePrecisionSum(grades, depth, relevanceLevel) / relevantJudged,
                MetricKind.Recall => relevantJudged == 0 ? 0 : (double)CountRelevant(grades, depth, relevanceLevel) / relevantJudged,
                MetricKind.Precision => (double)CountRelevant(grades, depth, relevanceLevel) / metric.Cutoff!.Value,
                _ => CountRelevant(grades, depth, relevanceLevel) > 0 ? 1 : 0,
            };
        }
    }

    private static double Ndcg(int[] grades, int[] ideal, int depth, int cutoff)
    {
        double dcg = 0;
        for (int i = 0; i < depth; i++)
        {
            if (grades[i] > 0)
            {
                dcg += grades[i] / Math.Log2(i + 2);
            }
        }

        double idcg = 0;
        int idealDepth = Math.Min(cutoff, ideal.Length);
        for (int i = 0; i < idealDepth; i++)
        {
            idcg += ideal[i] / Math.Log2(i + 2);
        }

        return idcg > 0 ? dcg / idcg : 0;
    }

    private static double ReciprocalRank(int[] grades, int depth, int level)
    {
        for (int i = 0; i < depth; i++)
        {
            if (grades[i] >= level)
            {
                return 1.0 / (i + 1);
            }
        }

        return 0;
    }

    private static double AveragePrecisionSum(int[] grades, int depth, int level)
    {
        double sum = 0;
        int found = 0;
        for (int i = 0; i < depth; i++)
        {
            if (grades[i] >= level)
            {
                found++;
                sum += (double)found / (i + 1);
            }
        }

        return sum;
    }

    private static int CountRelevant(int[] grades, int depth, int level)
    {
        int count = 0;
        for (int i = 0; i < depth; i++)
        {
            if (grades[i] >= level)
            {
                count++;
            }
        }

        return count;
    }

    private static int IndexOf(ReadOnlySpan<RunEntry> entries, string id)
    {
        for (int i = 0; i < entries.Length; i++)
        {
            if (entries[i].DocumentId == id)
            {
                return i;
            }
        }

        return -1;
    }

    internal static string Abbreviate(IReadOnlyList<string> ids, int shown = 10) =>
        ids.Count <= shown ? string.Join(", ", ids) : string.Join(", ", ids.Take(shown)) + $", … ({ids.Count - shown} more)";
}
