namespace Rerank.Onnx.Hub;

/// <summary>
/// Offline mode is on (<c>HF_HUB_OFFLINE</c> or <see cref="HuggingFaceHubOptions.Offline"/>) and the cache lacks files that
/// are needed. The message names the setting, the files and the cache folder looked in.
/// </summary>
public class HuggingFaceHubOfflineException : HuggingFaceHubException
{
    /// <summary>Initializes a new instance of the <see cref="HuggingFaceHubOfflineException"/> class.</summary>
    public HuggingFaceHubOfflineException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="HuggingFaceHubOfflineException"/> class with a message.</summary>
    /// <param name="message">The message.</param>
    public HuggingFaceHubOfflineException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="HuggingFaceHubOfflineException"/> class with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public HuggingFaceHubOfflineException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets the repository files that were needed and are not in the cache.</summary>
    public IReadOnlyList<string> MissingFiles { get; init; } = [];

    /// <summary>Gets the cache folder that was searched.</summary>
    public string? CacheDirectory { get; init; }
}
