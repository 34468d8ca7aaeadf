namespace Rerank.Evaluation;

/// <summary>The results of one system of an experiment: the first stage or a reranker.</summary>
public sealed class SystemReport
{
    /// <summary>Gets the system's name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets how it was configured, or <see langword="null"/>.</summary>
    public string? Description { get; init; }

    /// <summary>Gets a value indicating whether this is the first stage, the baseline of every gain.</summary>
    public bool IsFirstStage { get; init; }

    /// <summary>Gets each metric's summary, by metric name.</summary>
    public required IReadOnlyDictionary<string, MetricSummary> Metrics { get; init; }

    /// <summary>Gets each metric's per-query values, by metric name, aligned with <see cref="ExperimentReport.QueryIds"/>.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<double>> PerQuery { get; init; }

    /// <summary>Gets the reranker's latency; <see langword="null"/> for the first stage, which is not timed.</summary>
    public LatencySummary? Latency { get; init; }

    /// <summary>Gets what the reranker consumed over all queries (tokens, search units), when it reports usage.</summary>
    public RerankUsage? Usage { get; init; }
}
