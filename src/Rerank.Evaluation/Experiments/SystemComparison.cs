namespace Rerank.Evaluation;

/// <summary>A paired significance comparison of two systems on one metric.</summary>
/// <remarks>p-values are two-sided; the Holm–Bonferroni adjusted ones control the family-wise error over every pair of systems compared on the metric.</remarks>
public sealed class SystemComparison
{
    /// <summary>Gets the metric's name.</summary>
    public required string Metric { get; init; }

    /// <summary>Gets the system compared against.</summary>
    public required string Baseline { get; init; }

    /// <summary>Gets the system compared.</summary>
    public required string System { get; init; }

    /// <summary>Gets the mean per-query difference, <see cref="System"/> − <see cref="Baseline"/>.</summary>
    public required double MeanDifference { get; init; }

    /// <summary>Gets the p-value of the paired randomisation test.</summary>
    public required double RandomizationP { get; init; }

    /// <summary>Gets the randomisation test's p-value after Holm–Bonferroni correction.</summary>
    public required double RandomizationPHolm { get; init; }

    /// <summary>Gets the paired t statistic.</summary>
    public required double TStatistic { get; init; }

    /// <summary>Gets the p-value of the paired t-test.</summary>
    public required double TTestP { get; init; }

    /// <summary>Gets the t-test's p-value after Holm–Bonferroni correction.</summary>
    public required double TTestPHolm { get; init; }
}
