namespace Rerank;

/// <summary>The application-wide settings of <c>services.AddReranking()</c>, bound from the keys <c>Default</c> and <c>Loading</c> of its section.</summary>
/// <remarks>The named rerankers themselves are registered in code or under the section's <c>Rerankers</c> key; see docs/dependency-injection.md.</remarks>
public sealed class RerankingOptions
{
    /// <summary>Gets or sets the name of the reranker that an unkeyed <see cref="IReranker"/> resolves to.</summary>
    /// <value>
    /// <see langword="null"/> (the default) picks the only reranker when exactly one is registered; with several and none named,
    /// resolving <see cref="IReranker"/> fails with a message asking for a default (named ones still resolve).
    /// </value>
    public string? Default { get; set; }

    /// <summary>Gets or sets when the rerankers are built.</summary>
    /// <value>Defaults to <see cref="RerankerLoading.Lazy"/>.</value>
    public RerankerLoading Loading { get; set; } = RerankerLoading.Lazy;
}
