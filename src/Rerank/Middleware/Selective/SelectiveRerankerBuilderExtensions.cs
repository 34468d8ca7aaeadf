namespace Rerank;

/// <summary>Adds a <see cref="SelectiveReranker"/> to a pipeline.</summary>
public static class SelectiveRerankerBuilderExtensions
{
    /// <summary>
    /// Skips the layers below (the expensive model) on calls where <paramref name="policies"/> find the first stage
    /// decisive, answering with the first-stage order and scores, said so in the response.
    /// </summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="policies">The policies, at least one (see <see cref="SelectiveRerankingPolicy"/>).</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="policies"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="policies"/> is empty or contains <see langword="null"/>.</exception>
    /// <remarks>
    /// Put it below <c>UseOpenTelemetry</c> (which counts skipped and reranked calls) and above caches and batching
    /// (which need the model's pointwise scores and refuse this layer's mixed ones).
    /// </remarks>
    public static RerankerBuilder UseSelectiveReranking(this RerankerBuilder builder, params SelectiveRerankingPolicy[] policies)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(policies);

        // Checked now, not at Build, so that the mistake points at this line.
        SelectiveRerankingPolicy[] copy = [.. policies];
        if (copy.Length == 0)
        {
            throw new ArgumentException("Selective reranking needs at least one policy; without one it would rerank every call. Remove the layer instead.", nameof(policies));
        }

        int missing = Array.IndexOf(copy, null);
        if (missing >= 0)
        {
            throw new ArgumentException($"The policy at index {missing} is null.", nameof(policies));
        }

        return builder.Use((inner, _) => new SelectiveReranker(inner, copy));
    }
}
