namespace Rerank;

/// <summary>
/// Thrown by the timeout layer when the inner reranker did not answer within its time. Distinct from the caller's
/// cancellation, which stays an <see cref="OperationCanceledException"/>.
/// </summary>
public sealed class RerankTimeoutException : TimeoutException
{
    /// <summary>Initializes a new instance of the <see cref="RerankTimeoutException"/> class.</summary>
    public RerankTimeoutException()
        : base("The reranker did not answer in time.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="RerankTimeoutException"/> class with a message.</summary>
    /// <param name="message">The message.</param>
    public RerankTimeoutException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="RerankTimeoutException"/> class with a message and the exception that ended the call.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cancellation the timeout caused, if any.</param>
    public RerankTimeoutException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="RerankTimeoutException"/> class for a timeout that elapsed.</summary>
    /// <param name="timeout">The time the reranker was given.</param>
    /// <param name="innerException">The cancellation the timeout caused, if any.</param>
    public RerankTimeoutException(TimeSpan timeout, Exception? innerException = null)
        : base($"The reranker did not answer within {timeout.TotalMilliseconds:0.###} ms. Raise the timeout with UseTimeout, or add UseFallback to answer with a cheaper reranker.", innerException)
    {
        Timeout = timeout;
    }

    /// <summary>Gets the time the reranker was given, if known.</summary>
    public TimeSpan? Timeout { get; }
}
