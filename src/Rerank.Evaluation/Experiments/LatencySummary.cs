namespace Rerank.Evaluation;

/// <summary>How long a reranker took per query (one call with all of the query's candidates), in milliseconds.</summary>
public sealed class LatencySummary
{
    /// <summary>Gets the number of timed calls (queries with at least one candidate).</summary>
    public required int Calls { get; init; }

    /// <summary>Gets the mean latency.</summary>
    public required double MeanMs { get; init; }

    /// <summary>Gets the median latency.</summary>
    public required double P50Ms { get; init; }

    /// <summary>Gets the 95th percentile.</summary>
    public required double P95Ms { get; init; }

    /// <summary>Gets the 99th percentile.</summary>
    public required double P99Ms { get; init; }

    /// <summary>Gets the total time spent in the reranker.</summary>
    public required double TotalMs { get; init; }

    /// <summary>Gets the queries reranked per second of reranker time.</summary>
    public required double QueriesPerSecond { get; init; }

    /// <summary>Gets the documents scored per second of reranker time.</summary>
    public required double DocumentsPerSecond { get; init; }

    /// <summary>Gets every call's latency, in query order, for the distribution chart.</summary>
    public required IReadOnlyList<double> PerQueryMs { get; init; }
}
