namespace Rerank.Evaluation;

/// <summary>Turns per-query values into the summaries and comparisons of an <see cref="ExperimentReport"/>.</summary>
internal sealed class ReportBuilder(ExperimentOptions options, IReadOnlyList<Metric> metrics, IReadOnlyList<string> queries)
{
    public SystemReport System(string name, string? description, bool isFirstStage, List<double[]> rows, List<double[]> firstStageRows, LatencySummary? latency, RerankUsage? usage)
    {
        var summaries = new Dictionary<string, MetricSummary>(StringComparer.Ordinal);
        var perQuery = new Dictionary<string, IReadOnlyList<double>>(StringComparer.Ordinal);
        for (int m = 0; m < metrics.Count; m++)
        {
            double[] own = Column(rows, m);
            double[] baseline = Column(firstStageRows, m);
            int wins = 0, ties = 0, losses = 0;
            var gains = new double[own.Length];
            for (int q = 0; q < own.Length; q++)
            {
                gains[q] = own[q] - baseline[q];
                if (Math.Abs(gains[q]) < 1e-12)
                {
                    ties++;
                }
                else if (gains[q] > 0)
                {
                    wins++;
                }
                else
                {
                    losses++;
                }
            }

            summaries[metrics[m].Name] = new MetricSummary
            {
                Mean = SignificanceTests.BootstrapMean(own, options.ConfidenceLevel, options.BootstrapSamples, options.Seed),
                GainOverFirstStage = isFirstStage ? null : SignificanceTests.BootstrapMean(gains, options.ConfidenceLevel, options.BootstrapSamples, options.Seed),
                Wins = isFirstStage ? 0 : wins,
                Ties = isFirstStage ? own.Length : ties,
                Losses = isFirstStage ? 0 : losses,
            };
            perQuery[metrics[m].Name] = own;
        }

        return new SystemReport
        {
            Name = name,
            Description = description,
            IsFirstStage = isFirstStage,
            Metrics = summaries,
            PerQuery = perQuery,
            Latency = latency,
            Usage = usage,
        };
    }

    public LatencySummary? Latency(List<double> milliseconds, long documents)
    {
        if (milliseconds.Count == 0)
        {
            return null;
        }

        double[] sorted = [.. milliseconds];
        Array.Sort(sorted);
        double total = sorted.Sum();
        return new LatencySummary
        {
            Calls = sorted.Length,
            MeanMs = total / sorted.Length,
            P50Ms = SignificanceTests.Quantile(sorted, 0.50),
            P95Ms = SignificanceTests.Quantile(sorted, 0.95),
            P99Ms = SignificanceTests.Quantile(sorted, 0.99),
            TotalMs = total,
            QueriesPerSecond = total > 0 ? sorted.Length / (total / 1000) : double.PositiveInfinity,
            DocumentsPerSecond = total > 0 ? documents / (total / 1000) : double.PositiveInfinity,
            PerQueryMs = [.. milliseconds],
        };
    }

    public IReadOnlyList<SystemComparison> Comparisons(IReadOnlyList<SystemReport> systems)
    {
        var comparisons = new List<SystemComparison>();
        foreach (Metric metric in metrics)
        {
            var pairs = new List<(int Baseline, int System, double Difference, double Randomization, PairedTTestResult TTest)>();
            for (int a = 0; a < systems.Count; a++)
            {
                for (int b = a + 1; b < systems.Count; b++)
                {
                    double[] x = [.. systems[a].PerQuery[metric.Name]];
                    double[] y = [.. systems[b].PerQuery[metric.Name]];
                    double difference = queries.Count == 0 ? double.NaN : (y.Sum() - x.Sum()) / queries.Count;
                    pairs.Add((a, b, difference, SignificanceTests.RandomizationTest(x, y, options.PermutationSamples, options.Seed), SignificanceTests.PairedTTest(x, y)));
                }
            }

            double[] randomizationHolm = SignificanceTests.HolmBonferroni([.. pairs.Select(pair => pair.Randomization)]);
            double[] tTestHolm = SignificanceTests.HolmBonferroni([.. pairs.Select(pair => pair.TTest.PValue)]);
            for (int i = 0; i < pairs.Count; i++)
            {
                comparisons.Add(new SystemComparison
                {
                    Metric = metric.Name,
                    Baseline = systems[pairs[i].Baseline].Name,
                    System = systems[pairs[i].System].Name,
                    MeanDifference = pairs[i].Difference,
                    RandomizationP = pairs[i].Randomization,
                    RandomizationPHolm = randomizationHolm[i],
                    TStatistic = pairs[i].TTest.Statistic,
                    TTestP = pairs[i].TTest.PValue,
                    TTestPHolm = double.IsNaN(pairs[i].TTest.PValue) ? double.NaN : tTestHolm[i],
                });
            }
        }

        return comparisons;
    }

    private static double[] Column(List<double[]> rows, int metric)
    {
        var column = new double[rows.Count];
        for (int q = 0; q < rows.Count; q++)
        {
            column[q] = rows[q][metric];
        }

        return column;
    }
}
