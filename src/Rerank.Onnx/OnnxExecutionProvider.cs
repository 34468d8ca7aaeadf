using Microsoft.ML.OnnxRuntime;

namespace Rerank.Onnx;

/// <summary>
/// An ONNX Runtime execution provider to run a model on: CUDA, TensorRT, DirectML, CoreML, OpenVINO, or any other
/// through <see cref="Create"/>. List them, most preferred first, in <see cref="OnnxCrossEncoderOptions.ExecutionProviders"/>.
/// </summary>
/// <remarks>
/// A provider runs only where the ONNX Runtime package that the application references was built with it:
/// <c>Microsoft.ML.OnnxRuntime</c> (the default) has the CPU and, on Apple platforms, CoreML;
/// <c>Microsoft.ML.OnnxRuntime.Gpu</c> has CUDA and TensorRT; <c>Microsoft.ML.OnnxRuntime.DirectML</c> has DirectML;
/// <c>Intel.ML.OnnxRuntime.OpenVino</c> has OpenVINO. docs/gpu.md shows how to swap the package.
/// </remarks>
public sealed class OnnxExecutionProvider
{
    private readonly Action<SessionOptions> _append;

    private OnnxExecutionProvider(string name, string runtimeName, Action<SessionOptions> append)
    {
        Name = name;
        RuntimeName = runtimeName;
        _append = append;
    }

    /// <summary>Gets the provider's short name, as messages and logs show it (such as <c>CUDA</c>).</summary>
    public string Name { get; }

    /// <summary>Gets the provider's name as ONNX Runtime lists it in <see cref="OrtEnv.GetAvailableProviders"/> (such as <c>CUDAExecutionProvider</c>).</summary>
    public string RuntimeName { get; }

    /// <summary>NVIDIA CUDA (package <c>Microsoft.ML.OnnxRuntime.Gpu</c>, with the CUDA and cuDNN versions its release needs: CUDA 13 for ONNX Runtime 1.31).</summary>
    /// <param name="deviceId">The GPU's index. The default is 0.</param>
    /// <returns>The provider.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="deviceId"/> is negative.</exception>
    public static OnnxExecutionProvider Cuda(int deviceId = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(deviceId);
        return new("CUDA", "CUDAExecutionProvider", options => options.AppendExecutionProvider_CUDA(deviceId));
    }

    /// <summary>NVIDIA TensorRT (package <c>Microsoft.ML.OnnxRuntime.Gpu</c>, with TensorRT installed); list <see cref="Cuda"/> after it for the nodes TensorRT cannot run.</summary>
    /// <param name="deviceId">The GPU's index. The default is 0.</param>
    /// <returns>The provider.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="deviceId"/> is negative.</exception>
    public static OnnxExecutionProvider TensorRT(int deviceId = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(deviceId);
        return new("TensorRT", "TensorrtExecutionProvider", options => options.AppendExecutionProvider_Tensorrt(deviceId));
    }

    /// <summary>DirectML on Windows (package <c>Microsoft.ML.OnnxRuntime.DirectML</c>).</summary>
    /// <param name="deviceId">The adapter's index. The default is 0.</param>
    /// <returns>The provider.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="deviceId"/> is negative.</exception>
    /// <remarks>DirectML needs <see cref="SessionOptions.EnableMemoryPattern"/> off and sequential execution; this provider sets both.</remarks>
    public static OnnxExecutionProvider DirectML(int deviceId = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(deviceId);
        return new("DirectML", "DmlExecutionProvider", options =>
        {
            options.EnableMemoryPattern = false;
            options.ExecutionMode = ExecutionMode.ORT_SEQUENTIAL;
            options.AppendExecutionProvider_DML(deviceId);
        });
    }

    /// <summary>Apple CoreML on macOS and iOS (in the default <c>Microsoft.ML.OnnxRuntime</c> package there).</summary>
    /// <returns>The provider.</returns>
    public static OnnxExecutionProvider CoreML() =>
        new("CoreML", "CoreMLExecutionProvider", options => options.AppendExecutionProvider_CoreML());

    /// <summary>Intel OpenVINO (package <c>Intel.ML.OnnxRuntime.OpenVino</c>).</summary>
    /// <param name="deviceType">OpenVINO's device type, such as <c>CPU</c>, <c>GPU</c> or <c>NPU</c>; empty (the default) lets OpenVINO choose.</param>
    /// <returns>The provider.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="deviceType"/> is <see langword="null"/>.</exception>
    public static OnnxExecutionProvider OpenVino(string deviceType = "")
    {
        ArgumentNullException.ThrowIfNull(deviceType);
        return new("OpenVINO", "OpenVINOExecutionProvider", options => options.AppendExecutionProvider_OpenVINO(deviceType));
    }

    /// <summary>Any other execution provider, or one of the above with options of your own (such as <see cref="OrtCUDAProviderOptions"/>).</summary>
    /// <param name="name">The short name for messages and logs.</param>
    /// <param name="runtimeName">The name ONNX Runtime lists in <see cref="OrtEnv.GetAvailableProviders"/>, checked before <paramref name="append"/> is called.</param>
    /// <param name="append">Adds the provider to the session options, such as <c>o => o.AppendExecutionProvider("QNN", settings)</c>; an exception it throws means the provider is unavailable.</param>
    /// <returns>The provider.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> or <paramref name="runtimeName"/> is null or white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="append"/> is <see langword="null"/>.</exception>
    public static OnnxExecutionProvider Create(string name, string runtimeName, Action<SessionOptions> append)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(runtimeName);
        ArgumentNullException.ThrowIfNull(append);
        return new(name, runtimeName, append);
    }

    /// <summary>Returns <see cref="Name"/>.</summary>
    /// <returns>The provider's short name.</returns>
    public override string ToString() => Name;

    internal void AppendTo(SessionOptions options) => _append(options);
}
