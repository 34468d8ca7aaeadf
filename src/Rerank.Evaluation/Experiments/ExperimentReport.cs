using System.Text.Json.Serialization;

namespace Rerank.Evaluation;

/// <summary>
/// The outcome of an experiment: every system's metrics with confidence intervals, its gain over the first stage, its
/// latency and usage, and the significance of every pairwise difference. Write it with <see cref="ConsoleReport"/>,
/// <see cref="MarkdownReport"/>, <see cref="JsonReport"/> or <see cref="HtmlReport"/>.
/// </summary>
public sealed class ExperimentReport
{
    /// <summary>Gets the dataset's name.</summary>
    public required string Dataset { get; init; }

    /// <summary>Gets the first stage's name.</summary>
    public required string FirstStage { get; init; }

    /// <summary>Gets how many first-stage candidates were reranked per query.</summary>
    public required int TopK { get; init; }

    /// <summary>Gets the lowest relevant grade.</summary>
    public required int RelevanceLevel { get; init; }

    /// <summary>Gets the metric names; the first is the primary one.</summary>
    public required IReadOnlyList<string> Metrics { get; init; }

    /// <summary>Gets the evaluated queries, in order; every per-query list aligns with it.</summary>
    public required IReadOnlyList<string> QueryIds { get; init; }

    /// <summary>Gets how many queries the experiment set out to run.</summary>
    public required int PlannedQueries { get; init; }

    /// <summary>Gets a value indicating whether every planned query ran; <see langword="false"/> after cancellation, when the report covers the queries completed before it.</summary>
    public required bool Completed { get; init; }

    /// <summary>Gets the seed of the bootstrap and randomisation tests.</summary>
    public required int Seed { get; init; }

    /// <summary>Gets the number of bootstrap resamples.</summary>
    public required int BootstrapSamples { get; init; }

    /// <summary>Gets the number of randomisation-test samples.</summary>
    public required int PermutationSamples { get; init; }

    /// <summary>Gets the confidence level of the intervals.</summary>
    public required double ConfidenceLevel { get; init; }

    /// <summary>Gets when the experiment finished.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets the systems, the first stage first.</summary>
    public required IReadOnlyList<SystemReport> Systems { get; init; }

    /// <summary>Gets the pairwise comparisons, for every metric and every pair of systems.</summary>
    public required IReadOnlyList<SystemComparison> Comparisons { get; init; }

    /// <summary>Gets what was left out and why.</summary>
    public required IReadOnlyList<string> Warnings { get; init; }

    /// <summary>Gets each system's ranking as a run, by system name, to write with <see cref="TrecFormat.WriteRun(TrecRun, string, string?)"/>. Not serialised.</summary>
    [JsonIgnore]
    public IReadOnlyDictionary<string, TrecRun> Runs { get; init; } = new Dictionary<string, TrecRun>();

    /// <summary>Gets the comparison of <paramref name="system"/> against <paramref name="baseline"/> on <paramref name="metric"/>.</summary>
    /// <param name="metric">The metric name.</param>
    /// <param name="baseline">The baseline system's name.</param>
    /// <param name="system">The compared system's name.</param>
    /// <returns>The comparison, with the difference oriented as <paramref name="system"/> − <paramref name="baseline"/>; <see langword="null"/> if there is none.</returns>
    public SystemComparison? FindComparison(string metric, string baseline, string system)
    {
        foreach (SystemComparison comparison in Comparisons)
        {
            if (comparison.Metric == metric && comparison.Baseline == baseline && comparison.System == system)
            {
                return comparison;
            }

            if (comparison.Metric == metric && comparison.Baseline == system && comparison.System == baseline)
            {
                return new SystemComparison
                {
                    Metric = metric,
                    Baseline = baseline,
                    System = system,
                    MeanDifference = -comparison.MeanDifference,
                    RandomizationP = comparison.RandomizationP,
                    RandomizationPHolm = comparison.RandomizationPHolm,
                    TStatistic = -comparison.TStatistic,
                    TTestP = comparison.TTestP,
                    TTestPHolm = comparison.TTestPHolm,
                };
            }
        }

        return null;
    }
}
