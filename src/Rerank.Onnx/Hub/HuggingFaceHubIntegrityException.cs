namespace Rerank.Onnx.Hub;

/// <summary>
/// A downloaded file did not match what the Hub announced: a different size, or content whose hash is not its ETag.
/// The partial file is deleted; nothing is placed in the cache.
/// </summary>
public class HuggingFaceHubIntegrityException : HuggingFaceHubException
{
    /// <summary>Initializes a new instance of the <see cref="HuggingFaceHubIntegrityException"/> class.</summary>
    public HuggingFaceHubIntegrityException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="HuggingFaceHubIntegrityException"/> class with a message.</summary>
    /// <param name="message">The message.</param>
    public HuggingFaceHubIntegrityException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="HuggingFaceHubIntegrityException"/> class with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public HuggingFaceHubIntegrityException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets the size the Hub announced, if it announced one.</summary>
    public long? ExpectedSize { get; init; }

    /// <summary>Gets the number of bytes received.</summary>
    public long ReceivedSize { get; init; }
}
