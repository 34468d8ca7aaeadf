namespace Rerank.Evaluation;

/// <summary>Settings of <see cref="RerankExperiment"/>; the defaults are the usual ones of the field.</summary>
public sealed class ExperimentOptions
{
    /// <summary>Gets or sets how many first-stage candidates each reranker reranks.</summary>
    /// <value>100 by default; at least 1.</value>
    public int TopK { get; set; } = 100;

    /// <summary>Gets or sets the metrics; the first is the primary one of the per-query chart.</summary>
    /// <value><see cref="Metric.Defaults"/> when <see langword="null"/>.</value>
    public IReadOnlyList<Metric>? Metrics { get; set; }

    /// <summary>Gets or sets the lowest relevant grade.</summary>
    /// <value>1 by default; at least 0.</value>
    public int RelevanceLevel { get; set; } = 1;

    /// <summary>Gets or sets the number of bootstrap resamples of each confidence interval.</summary>
    /// <value>10,000 by default; at least 1.</value>
    public int BootstrapSamples { get; set; } = 10_000;

    /// <summary>Gets or sets the number of random sign assignments of each randomisation test.</summary>
    /// <value>10,000 by default; at least 1. With few queries (2^n at most this) the test enumerates every assignment and is exact.</value>
    public int PermutationSamples { get; set; } = 10_000;

    /// <summary>Gets or sets the seed of the bootstrap and the randomisation tests; a fixed seed gives identical statistics.</summary>
    /// <value>42 by default.</value>
    public int Seed { get; set; } = 42;

    /// <summary>Gets or sets the confidence level of the intervals.</summary>
    /// <value>0.95 by default; between 0 and 1 exclusive.</value>
    public double ConfidenceLevel { get; set; } = 0.95;

    /// <summary>Gets or sets the clock that times the rerankers and stamps the report.</summary>
    /// <value><see cref="TimeProvider.System"/> when <see langword="null"/>. Tests pass a fake one so that reports are identical.</value>
    public TimeProvider? TimeProvider { get; set; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(TopK, 1, nameof(TopK));
        ArgumentOutOfRangeException.ThrowIfNegative(RelevanceLevel, nameof(RelevanceLevel));
        ArgumentOutOfRangeException.ThrowIfLessThan(BootstrapSamples, 1, nameof(BootstrapSamples));
        ArgumentOutOfRangeException.ThrowIfLessThan(PermutationSamples, 1, nameof(PermutationSamples));
        if (!(ConfidenceLevel is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(ConfidenceLevel), ConfidenceLevel, "ExperimentOptions.ConfidenceLevel must be between 0 and 1, such as 0.95.");
        }

        if (Metrics is { Count: 0 })
        {
            throw new ArgumentException("ExperimentOptions.Metrics is empty; leave it null for the defaults.", nameof(Metrics));
        }
    }
}
