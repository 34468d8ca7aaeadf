namespace Rerank.Onnx;

/// <summary>
/// A cross-encoder's model folder was found but could not be used: the .onnx file is corrupt or not a sequence
/// classifier, config.json or tokenizer_config.json is malformed, the tokenizer type is unknown, or the options do not
/// fit the model.
/// </summary>
public sealed class OnnxModelLoadException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="OnnxModelLoadException"/> class.</summary>
    public OnnxModelLoadException()
        : this("The model could not be loaded.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="OnnxModelLoadException"/> class.</summary>
    /// <param name="message">The message.</param>
    public OnnxModelLoadException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="OnnxModelLoadException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The exception that caused this one, such as ONNX Runtime's own.</param>
    public OnnxModelLoadException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="OnnxModelLoadException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="path">The file that could not be used.</param>
    /// <param name="innerException">The exception that caused this one, such as ONNX Runtime's own.</param>
    public OnnxModelLoadException(string message, string? path, Exception? innerException = null)
        : base(message, innerException)
    {
        FilePath = path;
    }

    /// <summary>Gets the file that could not be used, if one is to blame.</summary>
    public string? FilePath { get; }
}
