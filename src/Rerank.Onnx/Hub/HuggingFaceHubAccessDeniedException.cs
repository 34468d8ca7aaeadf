namespace Rerank.Onnx.Hub;

/// <summary>
/// The Hub answered 401 or 403: the repository is private or gated, or the token was missing, invalid or lacks access.
/// The message says whether a token was sent and where it came from, never the token itself, and what to do: set
/// <c>HF_TOKEN</c> (or <see cref="HuggingFaceHubOptions.Token"/>) and, for a gated model, accept its licence on the
/// model's page.
/// </summary>
public class HuggingFaceHubAccessDeniedException : HuggingFaceHubException
{
    /// <summary>Initializes a new instance of the <see cref="HuggingFaceHubAccessDeniedException"/> class.</summary>
    public HuggingFaceHubAccessDeniedException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="HuggingFaceHubAccessDeniedException"/> class with a message.</summary>
    /// <param name="message">The message.</param>
    public HuggingFaceHubAccessDeniedException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="HuggingFaceHubAccessDeniedException"/> class with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public HuggingFaceHubAccessDeniedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets a value indicating whether the Hub said the repository is gated (its licence must be accepted).</summary>
    public bool IsGated { get; init; }

    /// <summary>Gets a value indicating whether a token was sent with the request.</summary>
    public bool TokenSent { get; init; }
}
