namespace Rerank.Evaluation;

/// <summary>The metrics of a run: per query and averaged, as <c>trec_eval -q</c> reports them.</summary>
public sealed class EvaluationResult
{
    internal EvaluationResult(
        IReadOnlyList<Metric> metrics,
        IReadOnlyDictionary<string, double> mean,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> perQuery,
        IReadOnlyList<string> warnings)
    {
        Metrics = metrics;
        Mean = mean;
        PerQuery = perQuery;
        Warnings = warnings;
    }

    /// <summary>Gets the metrics, in the order asked for.</summary>
    public IReadOnlyList<Metric> Metrics { get; }

    /// <summary>Gets the mean of each metric over the evaluated queries, by metric name.</summary>
    public IReadOnlyDictionary<string, double> Mean { get; }

    /// <summary>Gets each evaluated query's metrics, by query id and then metric name.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> PerQuery { get; }

    /// <summary>Gets the number of queries the means are over.</summary>
    public int QueryCount => PerQuery.Count;

    /// <summary>Gets what was left out and why (queries of the run that are not judged), so that nothing is dropped silently.</summary>
    public IReadOnlyList<string> Warnings { get; }
}
