namespace Rerank.Evaluation;

/// <summary>One metric of one system over the experiment's queries.</summary>
public sealed class MetricSummary
{
    /// <summary>Gets the mean over the queries, with its bootstrap confidence interval.</summary>
    public required ConfidenceInterval Mean { get; init; }

    /// <summary>Gets the mean per-query difference from the first stage (this system − first stage) with its bootstrap confidence interval; <see langword="null"/> for the first stage itself.</summary>
    public ConfidenceInterval? GainOverFirstStage { get; init; }

    /// <summary>Gets the number of queries on which this system scores higher than the first stage.</summary>
    public int Wins { get; init; }

    /// <summary>Gets the number of queries on which this system scores the same as the first stage.</summary>
    public int Ties { get; init; }

    /// <summary>Gets the number of queries on which this system scores lower than the first stage.</summary>
    public int Losses { get; init; }
}
