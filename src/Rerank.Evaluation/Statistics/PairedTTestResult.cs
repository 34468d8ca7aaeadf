namespace Rerank.Evaluation;

/// <summary>The outcome of a paired two-sided Student's t-test.</summary>
/// <param name="Statistic">t = mean(d) / (sd(d) / √n) for the differences d = b − a; NaN with fewer than two pairs.</param>
/// <param name="DegreesOfFreedom">n − 1.</param>
/// <param name="PValue">The two-sided p-value; NaN with fewer than two pairs.</param>
public readonly record struct PairedTTestResult(double Statistic, int DegreesOfFreedom, double PValue);
