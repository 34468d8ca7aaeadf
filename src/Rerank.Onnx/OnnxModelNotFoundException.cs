namespace Rerank.Onnx;

/// <summary>A file a cross-encoder needs (the ONNX model, the tokenizer) was not found.</summary>
/// <remarks>The message names every path that was looked at, so the fix is to put the file there or to point the options at it.</remarks>
public sealed class OnnxModelNotFoundException : FileNotFoundException
{
    /// <summary>Initializes a new instance of the <see cref="OnnxModelNotFoundException"/> class.</summary>
    public OnnxModelNotFoundException()
        : this("A model file was not found.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="OnnxModelNotFoundException"/> class.</summary>
    /// <param name="message">The message.</param>
    public OnnxModelNotFoundException(string message)
        : base(message)
    {
        SearchedPaths = [];
    }

    /// <summary>Initializes a new instance of the <see cref="OnnxModelNotFoundException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public OnnxModelNotFoundException(string message, Exception? innerException)
        : base(message, innerException)
    {
        SearchedPaths = [];
    }

    /// <summary>Initializes a new instance of the <see cref="OnnxModelNotFoundException"/> class.</summary>
    /// <param name="what">What was missing, such as "ONNX model" or "tokenizer".</param>
    /// <param name="searchedPaths">Every path that was looked at, in the order they were tried.</param>
    /// <param name="hint">What the caller can do about it.</param>
    public OnnxModelNotFoundException(string what, IReadOnlyList<string> searchedPaths, string? hint = null)
        : base(FormatMessage(what, searchedPaths, hint), searchedPaths is { Count: > 0 } ? searchedPaths[0] : null)
    {
        SearchedPaths = searchedPaths ?? [];
    }

    /// <summary>Gets every path that was looked at, in the order they were tried.</summary>
    public IReadOnlyList<string> SearchedPaths { get; }

    private static string FormatMessage(string what, IReadOnlyList<string>? searchedPaths, string? hint)
    {
        var message = new System.Text.StringBuilder();
        message.Append("No ").Append(what).Append(" file was found. Looked for:");
        foreach (string path in searchedPaths ?? [])
        {
            message.AppendLine().Append("  ").Append(path);
        }

        if (hint is not null)
        {
            message.AppendLine().Append(hint);
        }

        return message.ToString();
    }
}
