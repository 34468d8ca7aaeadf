namespace Rerank;

/// <summary>One distinct document text as the model sees it, with every position in the caller's input that holds it.</summary>
/// <param name="PromptText">The text cut to the length limit and neutralised, ready to be fenced.</param>
/// <param name="Indices">The positions in the caller's input that hold this text, ascending.</param>
internal sealed record LlmCandidate(string PromptText, IReadOnlyList<int> Indices);
