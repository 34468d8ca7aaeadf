using Microsoft.Extensions.DependencyInjection;

namespace Rerank;

/// <summary>Adds a <see cref="BatchingReranker"/> to a pipeline.</summary>
public static class BatchingRerankerBuilderExtensions
{
    /// <summary>Splits large requests into bounded batches and coalesces concurrent small requests with the same query into one inner call.</summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="maxBatchSize">The most documents per inner call; at least 1.</param>
    /// <param name="configure">Configures concurrency and the coalescing window.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">When the pipeline is built: an option is out of range.</exception>
    public static RerankerBuilder UseBatching(this RerankerBuilder builder, int maxBatchSize = 32, Action<BatchingRerankerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) =>
        {
            var options = new BatchingRerankerOptions { MaxBatchSize = maxBatchSize };
            configure?.Invoke(options);
            options.TimeProvider ??= services.GetService<TimeProvider>();
            return new BatchingReranker(inner, options);
        });
    }
}
