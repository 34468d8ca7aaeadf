namespace Rerank.Onnx;

/// <summary>A document that was longer than the late-interaction model's document length.</summary>
/// <param name="Index">The document's position in the caller's input.</param>
/// <param name="TokensKept">The document's own tokens kept (special tokens and marker not counted).</param>
/// <param name="TokensDropped">The tokens dropped, or <see langword="null"/> when the text was too long to count them all (only its beginning was tokenised).</param>
public sealed record LateInteractionTruncation(int Index, int TokensKept, int? TokensDropped);
