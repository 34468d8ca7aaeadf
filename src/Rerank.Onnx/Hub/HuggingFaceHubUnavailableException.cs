namespace Rerank.Onnx.Hub;

/// <summary>
/// The Hub could not be reached (no network, DNS failure, refused connection, timeout, a 5xx or 429 answer, a download
/// that kept breaking off) and the cache could not stand in. <see cref="Exception.InnerException"/> holds the cause.
/// A partial download is kept and resumed by the next call.
/// </summary>
public class HuggingFaceHubUnavailableException : HuggingFaceHubException
{
    /// <summary>Initializes a new instance of the <see cref="HuggingFaceHubUnavailableException"/> class.</summary>
    public HuggingFaceHubUnavailableException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="HuggingFaceHubUnavailableException"/> class with a message.</summary>
    /// <param name="message">The message.</param>
    public HuggingFaceHubUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="HuggingFaceHubUnavailableException"/> class with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public HuggingFaceHubUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets the repository files that were needed and are not in the cache.</summary>
    public IReadOnlyList<string> MissingFiles { get; init; } = [];
}
