namespace Rerank;

/// <summary>
/// Thrown by an LLM reranker when the model's output could not be used even after the retries allowed by
/// <see cref="LlmRerankerOptions.MaxOutputRetries"/>: it was empty, or held no score or ranking for any document of a
/// call, or the chat client returned a null response. Errors of the chat client itself (HTTP failures, rejected keys,
/// rate limits) are not wrapped; they reach the caller as the chat client threw them.
/// </summary>
public class LlmRerankerException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="LlmRerankerException"/> class.</summary>
    public LlmRerankerException()
        : this("The model's output could not be used for reranking.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="LlmRerankerException"/> class with a message.</summary>
    /// <param name="message">The message.</param>
    public LlmRerankerException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="LlmRerankerException"/> class with a message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public LlmRerankerException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="LlmRerankerException"/> class with the facts of the failed call.</summary>
    /// <param name="message">The message.</param>
    /// <param name="mode">The mode of the failed call.</param>
    /// <param name="modelOutput">The model's last output, possibly shortened; <see langword="null"/> if there was none.</param>
    /// <param name="attempts">How many times the call was sent.</param>
    public LlmRerankerException(string message, LlmRerankMode mode, string? modelOutput, int attempts)
        : base(message)
    {
        Mode = mode;
        ModelOutput = modelOutput;
        Attempts = attempts;
    }

    /// <summary>Gets the mode of the failed call.</summary>
    public LlmRerankMode Mode { get; }

    /// <summary>Gets the model's last output, shortened to a few thousand characters; <see langword="null"/> if unknown.</summary>
    public string? ModelOutput { get; }

    /// <summary>Gets how many times the call was sent before the reranker gave up.</summary>
    public int Attempts { get; }
}
