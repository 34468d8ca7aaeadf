namespace Rerank.Onnx;

/// <summary>
/// None of the execution providers in <see cref="OnnxCrossEncoderOptions.ExecutionProviders"/> could run the model, and
/// <see cref="OnnxCrossEncoderOptions.AllowCpuFallback"/> is off. The message says, for each provider, why (not in the
/// referenced ONNX Runtime build, a native library or driver missing) and what to install.
/// </summary>
public sealed class OnnxExecutionProviderException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="OnnxExecutionProviderException"/> class.</summary>
    public OnnxExecutionProviderException()
        : this("No requested ONNX Runtime execution provider is available.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="OnnxExecutionProviderException"/> class.</summary>
    /// <param name="message">The message.</param>
    public OnnxExecutionProviderException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="OnnxExecutionProviderException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The exception that caused this one, such as ONNX Runtime's own.</param>
    public OnnxExecutionProviderException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="OnnxExecutionProviderException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="requestedProviders">The providers that were asked for, in order.</param>
    /// <param name="availableProviders">The providers the loaded ONNX Runtime build has.</param>
    /// <param name="innerException">The first provider's failure, if it threw.</param>
    public OnnxExecutionProviderException(string message, IReadOnlyList<string> requestedProviders, IReadOnlyList<string> availableProviders, Exception? innerException = null)
        : base(message, innerException)
    {
        RequestedProviders = requestedProviders;
        AvailableProviders = availableProviders;
    }

    /// <summary>Gets the providers that were asked for, in order of preference.</summary>
    public IReadOnlyList<string> RequestedProviders { get; } = [];

    /// <summary>Gets the providers the loaded ONNX Runtime build has (such as <c>CPUExecutionProvider</c>).</summary>
    public IReadOnlyList<string> AvailableProviders { get; } = [];
}
