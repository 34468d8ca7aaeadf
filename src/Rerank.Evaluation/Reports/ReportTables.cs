using System.Globalization;

namespace Rerank.Evaluation;

/// <summary>The tables every report format shows, as rows of text, so that the console, Markdown and HTML agree cell for cell.</summary>
internal static class ReportTables
{
    /// <summary>The significance threshold of the † marker: Holm-corrected randomisation p below it.</summary>
    public const double Alpha = 0.05;

    public static (string[] Header, List<string[]> Rows) Results(ExperimentReport report)
    {
        string[] header = ["System", .. report.Metrics];
        var rows = new List<string[]>();
        SystemReport first = report.Systems[0];
        foreach (SystemReport system in report.Systems)
        {
            var row = new List<string> { system.Name };
            foreach (string metric in report.Metrics)
            {
                string cell = Number(system.Metrics[metric].Mean.Mean);
                if (!system.IsFirstStage && report.FindComparison(metric, first.Name, system.Name) is { RandomizationPHolm: < Alpha })
                {
                    cell += " †";
                }

                row.Add(cell);
            }

            rows.Add([.. row]);
        }

        return (header, rows);
    }

    public static (string[] Header, List<string[]> Rows) Gains(ExperimentReport report, bool primaryOnly)
    {
        string level = Percent(report.ConfidenceLevel);
        string[] header = ["System", "Metric", "Δ vs first stage", $"{level} CI", "W / T / L", "p rand. (Holm)", "p t-test (Holm)"];
        var rows = new List<string[]>();
        SystemReport first = report.Systems[0];
        foreach (SystemReport system in report.Systems.Where(system => !system.IsFirstStage))
        {
            foreach (string metric in primaryOnly ? report.Metrics.Take(1) : report.Metrics)
            {
                MetricSummary summary = system.Metrics[metric];
                ConfidenceInterval gain = summary.GainOverFirstStage!.Value;
                SystemComparison? comparison = report.FindComparison(metric, first.Name, system.Name);
                rows.Add(
                [
                    system.Name,
                    metric,
                    Signed(gain.Mean),
                    $"[{Signed(gain.Lower)}, {Signed(gain.Upper)}]",
                    $"{summary.Wins} / {summary.Ties} / {summary.Losses}",
                    P(comparison?.RandomizationPHolm),
                    P(comparison?.TTestPHolm),
                ]);
            }
        }

        return (header, rows);
    }

    public static (string[] Header, List<string[]> Rows) Pairwise(ExperimentReport report)
    {
        string metric = report.Metrics[0];
        string[] header = ["Baseline", "System", $"Δ {metric}", "p rand.", "p rand. (Holm)", "t", "p t-test (Holm)"];
        var rows = new List<string[]>();
        foreach (SystemComparison comparison in report.Comparisons.Where(comparison => comparison.Metric == metric))
        {
            rows.Add(
            [
                comparison.Baseline,
                comparison.System,
                Signed(comparison.MeanDifference),
                P(comparison.RandomizationP),
                P(comparison.RandomizationPHolm),
                double.IsFinite(comparison.TStatistic) ? comparison.TStatistic.ToString("F2", CultureInfo.InvariantCulture) : comparison.TStatistic.ToString(CultureInfo.InvariantCulture),
                P(comparison.TTestPHolm),
            ]);
        }

        return (header, rows);
    }

    public static (string[] Header, List<string[]> Rows) Latency(ExperimentReport report)
    {
        string[] header = ["System", "calls", "mean ms", "p50 ms", "p95 ms", "p99 ms", "total s", "queries/s", "docs/s", "tokens", "search units"];
        var rows = new List<string[]>();
        foreach (SystemReport system in report.Systems.Where(system => system.Latency is not null))
        {
            LatencySummary latency = system.Latency!;
            rows.Add(
            [
                system.Name,
                latency.Calls.ToString(CultureInfo.InvariantCulture),
                Ms(latency.MeanMs),
                Ms(latency.P50Ms),
                Ms(latency.P95Ms),
                Ms(latency.P99Ms),
                (latency.TotalMs / 1000).ToString("F2", CultureInfo.InvariantCulture),
                Rate(latency.QueriesPerSecond),
                Rate(latency.DocumentsPerSecond),
                system.Usage?.TotalTokenCount?.ToString(CultureInfo.InvariantCulture) ?? system.Usage?.InputTokenCount?.ToString(CultureInfo.InvariantCulture) ?? "–",
                system.Usage?.SearchUnits?.ToString(CultureInfo.InvariantCulture) ?? "–",
            ]);
        }

        return (header, rows);
    }

    public static string Summary(ExperimentReport report) =>
        string.Create(CultureInfo.InvariantCulture, $"{report.Dataset}: {report.QueryIds.Count} queries{(report.Completed ? string.Empty : $" of {report.PlannedQueries} (cancelled)")}, first stage {report.FirstStage} top {report.TopK}, relevance level {report.RelevanceLevel}, {report.BootstrapSamples} bootstrap samples, {report.PermutationSamples} randomisation samples, seed {report.Seed}.");

    public static string Number(double value) => double.IsNaN(value) ? "n/a" : value.ToString("F4", CultureInfo.InvariantCulture);

    public static string Signed(double value) => double.IsNaN(value) ? "n/a" : value.ToString("+0.0000;-0.0000;0.0000", CultureInfo.InvariantCulture);

    public static string P(double? p) => p switch
    {
        null => "–",
        double value when double.IsNaN(value) => "n/a",
        < 0.001 => "<0.001",
        double value => value.ToString("F3", CultureInfo.InvariantCulture) + (value < Alpha ? " *" : string.Empty),
    };

    public static string Percent(double level) => (level * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    private static string Ms(double value) => value.ToString(value < 10 ? "F3" : "F1", CultureInfo.InvariantCulture);

    private static string Rate(double value) => double.IsInfinity(value) ? "∞" : value.ToString("F0", CultureInfo.InvariantCulture);
}
