namespace Rerank.Onnx;

/// <summary>
/// How many tokens of one (query, document) pair a cross-encoder dropped to fit the model's maximum length.
/// A response lists these under <see cref="RerankResponseProperties.OnnxTruncations"/> in
/// <see cref="RerankResponse.AdditionalProperties"/>.
/// </summary>
/// <param name="Index">The document's position in the caller's input.</param>
/// <param name="DocumentTokensDropped">
/// Tokens removed from the end of the document: exact, or at least that many when
/// <see cref="DocumentTokensDroppedIsLowerBound"/> is set.
/// </param>
/// <param name="QueryTokensDropped">Tokens removed from the end of the query (only when the query alone takes more than half of the budget).</param>
public sealed record CrossEncoderTruncation(int Index, int DocumentTokensDropped, int QueryTokensDropped)
{
    /// <summary>
    /// Gets a value indicating whether <see cref="DocumentTokensDropped"/> is a lower bound: the document was so long (more
    /// than 16,384 characters, and more than about eight per token of the model's maximum length) that only its start,
    /// enough for every token the pair could keep, was tokenised, and the tokens of the rest were not counted.
    /// </summary>
    public bool DocumentTokensDroppedIsLowerBound { get; init; }
}
