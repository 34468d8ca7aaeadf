using System.Net;

namespace Rerank.Onnx.Hub;

/// <summary>
/// A Hugging Face Hub download failed. Derived types say why: <see cref="HuggingFaceHubOfflineException"/>,
/// <see cref="HuggingFaceHubUnavailableException"/>, <see cref="HuggingFaceHubAccessDeniedException"/>,
/// <see cref="HuggingFaceHubNotFoundException"/> and <see cref="HuggingFaceHubIntegrityException"/>; this type itself is
/// thrown for answers the downloader cannot use (no ETag, no commit header, an unexpected status).
/// </summary>
/// <remarks>Messages never contain the access token.</remarks>
public class HuggingFaceHubException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="HuggingFaceHubException"/> class.</summary>
    public HuggingFaceHubException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="HuggingFaceHubException"/> class with a message.</summary>
    /// <param name="message">The message.</param>
    public HuggingFaceHubException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="HuggingFaceHubException"/> class with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public HuggingFaceHubException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets the repository id, such as <c>cross-encoder/ms-marco-MiniLM-L-6-v2</c>.</summary>
    public string? RepoId { get; init; }

    /// <summary>Gets the revision asked for (branch, tag or commit).</summary>
    public string? Revision { get; init; }

    /// <summary>Gets the file the failure is about, if it is about one file.</summary>
    public string? FilePath { get; init; }

    /// <summary>Gets the HTTP status the Hub answered with, if the failure came from an answer.</summary>
    public HttpStatusCode? StatusCode { get; init; }
}
