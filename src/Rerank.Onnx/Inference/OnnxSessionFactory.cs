using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;

namespace Rerank.Onnx.Inference;

/// <summary>
/// Opens the one ONNX Runtime session an ONNX front-end holds: graph optimisation on, the thread settings, the execution
/// providers with their documented CPU fall-back, then the caller's hook; a file ONNX Runtime cannot load is an
/// <see cref="OnnxModelLoadException"/> that says what to do.
/// </summary>
internal static class OnnxSessionFactory
{
    /// <summary>Opens a session of <paramref name="modelPath"/> and wraps it; the session is released if the wrapper refuses the graph.</summary>
    /// <typeparam name="T">The front-end's session type.</typeparam>
    /// <param name="modelPath">The ONNX file.</param>
    /// <param name="settings">The front-end's settings.</param>
    /// <param name="create">Makes the wrapper, checking the graph's inputs and outputs; it owns both arguments once it returns.</param>
    /// <returns>The wrapper.</returns>
    /// <exception cref="ArgumentException">The provider list holds a <see langword="null"/> entry.</exception>
    /// <exception cref="OnnxModelLoadException">ONNX Runtime cannot load the file, or <paramref name="create"/> refuses the graph.</exception>
    /// <exception cref="OnnxExecutionProviderException">No requested execution provider can run the model and the CPU fall-back is off.</exception>
    public static T Open<T>(string modelPath, SessionSettings settings, Func<InferenceSession, SessionOptions, T> create)
    {
        (InferenceSession session, SessionOptions sessionOptions) = Open(modelPath, settings);
        try
        {
            return create(session, sessionOptions);
        }
        catch
        {
            session.Dispose();
            sessionOptions.Dispose();
            throw;
        }
    }

    /// <summary>Opens a session of <paramref name="modelPath"/>.</summary>
    /// <param name="modelPath">The ONNX file.</param>
    /// <param name="settings">The front-end's settings.</param>
    /// <returns>The session and the options it was created with; the caller disposes both, the session first.</returns>
    /// <exception cref="ArgumentException">The provider list holds a <see langword="null"/> entry.</exception>
    /// <exception cref="OnnxModelLoadException">ONNX Runtime cannot load the file.</exception>
    /// <exception cref="OnnxExecutionProviderException">No requested execution provider can run the model and the CPU fall-back is off.</exception>
    public static (InferenceSession Session, SessionOptions Options) Open(string modelPath, SessionSettings settings)
    {
        ExecutionProviderSetup.Validate(settings);
        ILogger logger = settings.Logger ?? NullLogger.Instance;
        bool useProviders = true;
        while (true)
        {
            var sessionOptions = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
            try
            {
                if (settings.IntraOpNumThreads is int intra)
                {
                    sessionOptions.IntraOpNumThreads = intra;
                }

                if (settings.InterOpNumThreads is int inter)
                {
                    sessionOptions.InterOpNumThreads = inter;
                }

                IReadOnlyList<string> providers = useProviders ? ExecutionProviderSetup.Apply(sessionOptions, settings, logger, modelPath) : [];
                settings.ConfigureSessionOptions?.Invoke(sessionOptions);
                try
                {
                    return (new InferenceSession(modelPath, sessionOptions), sessionOptions);
                }
                catch (OnnxRuntimeException ex) when (providers.Count > 0)
                {
                    // A provider can be present and still fail to start on this machine (no device, a driver too old).
                    if (!settings.AllowCpuFallback)
                    {
                        throw ExecutionProviderSetup.SessionFailed(providers, settings, modelPath, ex);
                    }

                    ExecutionProviderSetup.LogSessionFallback(logger, providers, modelPath, ex);
                    useProviders = false;
                    sessionOptions.Dispose();
                }
                catch (OnnxRuntimeException ex)
                {
                    long size = new FileInfo(modelPath).Length;
                    throw new OnnxModelLoadException(
                        $"ONNX Runtime could not load '{modelPath}' ({size:N0} bytes): {ex.Message.Trim()} The file is corrupt, incomplete (an interrupted download?) or not an ONNX model: delete it and download or export it again.",
                        modelPath,
                        ex);
                }
            }
            catch
            {
                sessionOptions.Dispose();
                throw;
            }
        }
    }
}
