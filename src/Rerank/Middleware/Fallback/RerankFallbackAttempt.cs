namespace Rerank;

/// <summary>A reranker of a fallback chain that did not answer, and why.</summary>
/// <param name="Reranker">The reranker's name: its provider and model from <see cref="RerankerMetadata"/>, or its type.</param>
/// <param name="ErrorType">The full name of the exception's type, such as <c>Rerank.RerankTimeoutException</c>.</param>
/// <param name="Message">The exception's message.</param>
public sealed record RerankFallbackAttempt(string Reranker, string ErrorType, string Message);
