namespace Rerank;

/// <summary>A candidate document to be reranked.</summary>
/// <remarks>Documents are immutable; rerankers hand back the same instances they were given.</remarks>
public sealed class RerankDocument
{
    /// <summary>Initializes a new instance of the <see cref="RerankDocument"/> class.</summary>
    /// <param name="text">The text the reranker scores. May be empty, never <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public RerankDocument(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Text = text;
    }

    /// <summary>Gets the text the reranker scores.</summary>
    public string Text { get; }

    /// <summary>Gets an optional identifier, such as the document's key in the vector store.</summary>
    public string? Id { get; init; }

    /// <summary>Gets the optional first-stage score (vector similarity, BM25, ...), which hybrid fusion can use as a signal.</summary>
    public double? Score { get; init; }

    /// <summary>Gets optional metadata, such as a timestamp used for recency.</summary>
    public IReadOnlyDictionary<string, object?>? Metadata { get; init; }

    /// <summary>Creates a document from its text.</summary>
    /// <param name="text">The document text.</param>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public static implicit operator RerankDocument(string text) => new(text);

    /// <summary>Creates a document from its text.</summary>
    /// <param name="text">The document text.</param>
    /// <returns>The document.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public static RerankDocument FromString(string text) => new(text);

    /// <inheritdoc />
    public override string ToString() => Id is null ? Text : $"{Id}: {Text}";
}
