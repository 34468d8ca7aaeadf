namespace Rerank;

/// <summary>Adds a <see cref="DeduplicatingReranker"/> to a pipeline.</summary>
public static class DeduplicatingRerankerBuilderExtensions
{
    /// <summary>Scores identical texts once and gives every copy the score, at its own index.</summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="comparer">When two texts are the same; exact (ordinal) equality if <see langword="null"/>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static RerankerBuilder UseDeduplication(this RerankerBuilder builder, IEqualityComparer<string>? comparer = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(inner => new DeduplicatingReranker(inner, comparer));
    }
}
