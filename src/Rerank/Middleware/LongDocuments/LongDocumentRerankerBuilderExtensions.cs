namespace Rerank;

/// <summary>Adds a <see cref="LongDocumentReranker"/> to a pipeline.</summary>
public static class LongDocumentRerankerBuilderExtensions
{
    /// <summary>Splits documents longer than the window into overlapping chunks, scores each and pools the chunk scores into the document's score.</summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="configure">Configures the window, overlap, length function and pooling.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">When the pipeline is built: an option is out of range.</exception>
    public static RerankerBuilder UseLongDocuments(this RerankerBuilder builder, Action<LongDocumentRerankerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(inner =>
        {
            var options = new LongDocumentRerankerOptions();
            configure?.Invoke(options);
            return new LongDocumentReranker(inner, options);
        });
    }
}
