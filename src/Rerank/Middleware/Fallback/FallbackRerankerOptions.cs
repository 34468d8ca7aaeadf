namespace Rerank;

/// <summary>Options of the fallback layer added by <c>UseFallback</c>.</summary>
public sealed class FallbackRerankerOptions
{
    /// <summary>Gets or sets which failures pass the call to the next reranker of the chain.</summary>
    /// <value>
    /// <see langword="null"/> (the default) handles every exception. Whatever the predicate says, the caller's own
    /// cancellation is never handled: it ends the call with <see cref="OperationCanceledException"/>. A cancellation the
    /// caller did not ask for (an HTTP client's own timeout) is a failure like any other.
    /// </value>
    public Func<FallbackPredicateArguments, bool>? ShouldHandle { get; set; }

    /// <summary>Gets or sets a value indicating whether <see cref="RerankOptions.ModelId"/> is cleared for the fallbacks.</summary>
    /// <value><see langword="true"/> (the default): a model id names a model of the primary reranker, which a fallback from another provider would not know.</value>
    public bool ClearModelIdForFallbacks { get; set; } = true;
}
