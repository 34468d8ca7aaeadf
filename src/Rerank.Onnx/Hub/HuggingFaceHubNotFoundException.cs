namespace Rerank.Onnx.Hub;

/// <summary>The Hub answered 404: the repository, the revision or the file does not exist (<see cref="Missing"/> says which).</summary>
public class HuggingFaceHubNotFoundException : HuggingFaceHubException
{
    /// <summary>Initializes a new instance of the <see cref="HuggingFaceHubNotFoundException"/> class.</summary>
    public HuggingFaceHubNotFoundException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="HuggingFaceHubNotFoundException"/> class with a message.</summary>
    /// <param name="message">The message.</param>
    public HuggingFaceHubNotFoundException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="HuggingFaceHubNotFoundException"/> class with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public HuggingFaceHubNotFoundException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets what was not found.</summary>
    public HuggingFaceHubMissingItem Missing { get; init; }
}
