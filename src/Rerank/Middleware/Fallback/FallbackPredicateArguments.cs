namespace Rerank;

/// <summary>What <see cref="FallbackRerankerOptions.ShouldHandle"/> is told about a failure, to decide whether the next reranker should answer.</summary>
public readonly struct FallbackPredicateArguments
{
    /// <summary>Initializes a new instance of the <see cref="FallbackPredicateArguments"/> struct.</summary>
    /// <param name="exception">The failure.</param>
    /// <param name="reranker">The reranker that failed.</param>
    /// <param name="rerankerName">The failed reranker's name, as reported in the response.</param>
    /// <param name="attempt">The failed reranker's position in the chain, 0 for the primary.</param>
    public FallbackPredicateArguments(Exception exception, IReranker reranker, string rerankerName, int attempt)
    {
        Exception = exception;
        Reranker = reranker;
        RerankerName = rerankerName;
        Attempt = attempt;
    }

    /// <summary>Gets the failure.</summary>
    public Exception Exception { get; }

    /// <summary>Gets the reranker that failed.</summary>
    public IReranker Reranker { get; }

    /// <summary>Gets the failed reranker's name: provider and model from its <see cref="RerankerMetadata"/>, or its type.</summary>
    public string RerankerName { get; }

    /// <summary>Gets the failed reranker's position in the chain, 0 for the primary.</summary>
    public int Attempt { get; }
}
