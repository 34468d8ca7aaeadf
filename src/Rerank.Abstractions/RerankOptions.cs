namespace Rerank;

/// <summary>Options for one reranking call. A <see langword="null"/> property means "not specified": the reranker's default applies.</summary>
/// <remarks>Middleware that changes options works on a <see cref="Clone"/>, never on the caller's instance.</remarks>
public class RerankOptions
{
    /// <summary>Initializes a new instance of the <see cref="RerankOptions"/> class.</summary>
    public RerankOptions()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="RerankOptions"/> class as a copy of <paramref name="other"/>.</summary>
    /// <param name="other">The options to copy.</param>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is <see langword="null"/>.</exception>
    protected RerankOptions(RerankOptions other)
    {
        ArgumentNullException.ThrowIfNull(other);
        TopN = other.TopN;
        ModelId = other.ModelId;
        ScoreThreshold = other.ScoreThreshold;
        MaxTokensPerDocument = other.MaxTokensPerDocument;
        AdditionalProperties = other.AdditionalProperties is null
            ? null
            : new Dictionary<string, object?>(other.AdditionalProperties, StringComparer.Ordinal);
    }

    /// <summary>Gets or sets how many results to return.</summary>
    /// <value><see langword="null"/> (the default) returns every result; a value larger than the input returns every result; a value below 1 is rejected with <see cref="ArgumentOutOfRangeException"/> by the reranker.</value>
    public int? TopN { get; set; }

    /// <summary>Gets or sets the model to use, for rerankers that serve several.</summary>
    public string? ModelId { get; set; }

    /// <summary>Gets or sets the lowest score to keep; results scoring below it are dropped.</summary>
    /// <value><see langword="null"/> (the default) keeps every result. Scores are on the reranker's own scale.</value>
    public double? ScoreThreshold { get; set; }

    /// <summary>Gets or sets the most tokens of each document the reranker considers; the rest is truncated.</summary>
    /// <value><see langword="null"/> (the default) uses the reranker's own limit.</value>
    public int? MaxTokensPerDocument { get; set; }

    /// <summary>Gets or sets provider-specific options that have no property of their own.</summary>
    public IDictionary<string, object?>? AdditionalProperties { get; set; }

    /// <summary>Creates a copy of these options.</summary>
    /// <returns>A new instance with the same values; <see cref="AdditionalProperties"/> is copied, not shared.</returns>
    public virtual RerankOptions Clone() => new(this);
}
