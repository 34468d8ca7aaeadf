namespace Rerank.Onnx;

/// <summary>
/// How many tokens of one (query, document) pair a cross-encoder dropped to fit the model's maximum length.
/// A response lists these under <see cref="RerankResponseProperties.OnnxTruncations"/> in
/// <see cref="RerankResponse.AdditionalProperties"/>.
/// </summary>
/// <param name="Index">The document's position in the caller's input.</param>
/// <param name="DocumentTokensDropped">Tokens removed from the end of the document.</param>
/// <param name="QueryTokensDropped">Tokens removed from the end of the query (only when the query alone takes more than half of the budget).</param>
public sealed record CrossEncoderTruncation(int Index, int DocumentTokensDropped, int QueryTokensDropped);
