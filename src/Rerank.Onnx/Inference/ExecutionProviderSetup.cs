using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace Rerank.Onnx.Inference;

/// <summary>
/// Adds the requested execution providers (<see cref="OnnxCrossEncoderOptions.ExecutionProviders"/> and its
/// counterparts in the other options types) to a session's options, in order, and decides what an
/// unavailable provider means: a warning when another requested provider or the allowed CPU fall-back takes over, an
/// <see cref="OnnxExecutionProviderException"/> otherwise. A model never runs on the CPU without the caller knowing.
/// </summary>
internal static partial class ExecutionProviderSetup
{
    private const string CpuProvider = "CPUExecutionProvider";

    /// <summary>Checks the options' provider list before anything is loaded.</summary>
    /// <param name="settings">The front-end's settings.</param>
    /// <exception cref="ArgumentException">The list holds a <see langword="null"/> entry.</exception>
    public static void Validate(SessionSettings settings)
    {
        if (settings.ExecutionProviders is not { } providers)
        {
            return;
        }

        for (int i = 0; i < providers.Count; i++)
        {
            if (providers[i] is null)
            {
                throw new ArgumentException($"{settings.OptionsName}.ExecutionProviders[{i}] is null.", "options");
            }
        }
    }

    /// <summary>Appends every available requested provider to <paramref name="sessionOptions"/>, most preferred first.</summary>
    /// <param name="sessionOptions">The session options being built.</param>
    /// <param name="settings">The front-end's settings.</param>
    /// <param name="logger">Receives the warnings and the providers chosen.</param>
    /// <param name="modelPath">The model, for the messages.</param>
    /// <returns>The names of the providers appended; empty when the model runs on the CPU only.</returns>
    /// <exception cref="OnnxExecutionProviderException">Providers were requested, none is available and the CPU fall-back is not allowed.</exception>
    public static IReadOnlyList<string> Apply(SessionOptions sessionOptions, SessionSettings settings, ILogger logger, string modelPath)
    {
        if (settings.ExecutionProviders is not { Count: > 0 } providers)
        {
            return [];
        }

        string[] available = OrtEnv.Instance().GetAvailableProviders();
        var appended = new List<string>(providers.Count);
        var failures = new List<(OnnxExecutionProvider Provider, string Reason, Exception? Error)>();
        foreach (OnnxExecutionProvider provider in providers)
        {
            if (!available.Contains(provider.RuntimeName, StringComparer.Ordinal))
            {
                failures.Add((provider, $"this ONNX Runtime build does not have {provider.RuntimeName}{PackageHint(provider)}", null));
                continue;
            }

            try
            {
                provider.AppendTo(sessionOptions);
                appended.Add(provider.Name);
            }
            catch (Exception ex) when (ex is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException or InvalidOperationException or NotSupportedException)
            {
                // A GPU build whose native libraries or driver are missing fails here, when the provider's library is loaded.
                failures.Add((provider, $"ONNX Runtime could not start it: {ex.Message.Trim()}", ex));
            }
        }

        string fallbackTarget = appended.Count > 0 ? string.Join(", ", appended) : "the CPU";
        if (appended.Count == 0 && !settings.AllowCpuFallback)
        {
            throw Unavailable(providers, available, failures, settings, modelPath);
        }

        foreach (var (provider, reason, error) in failures)
        {
            LogProviderUnavailable(logger, provider.Name, reason, fallbackTarget, modelPath, error);
        }

        if (appended.Count > 0)
        {
            LogProvidersChosen(logger, string.Join(", ", appended), modelPath);
        }

        return appended;
    }

    /// <summary>The error for a session that could not be created with the requested providers.</summary>
    /// <param name="providers">The providers appended.</param>
    /// <param name="settings">The front-end's settings.</param>
    /// <param name="modelPath">The model.</param>
    /// <param name="error">ONNX Runtime's error.</param>
    /// <returns>The exception to throw.</returns>
    public static OnnxExecutionProviderException SessionFailed(IReadOnlyList<string> providers, SessionSettings settings, string modelPath, OnnxRuntimeException error) =>
        new(
            $"ONNX Runtime could not create a session for '{modelPath}' on {string.Join(", ", providers)}: {error.Message.Trim()} " +
            $"Check the GPU driver and the CUDA/cuDNN (or DirectML, CoreML, OpenVINO) libraries docs/gpu.md lists, or set {settings.OptionsName}.AllowCpuFallback to run on the CPU with a warning. If the file itself is damaged (an interrupted download), delete it and download or export it again.",
            [.. providers],
            OrtEnv.Instance().GetAvailableProviders(),
            error);

    /// <summary>Logs that the session is retried on the CPU after the requested providers failed to create one.</summary>
    /// <param name="logger">The logger.</param>
    /// <param name="providers">The providers that failed.</param>
    /// <param name="modelPath">The model.</param>
    /// <param name="error">ONNX Runtime's error.</param>
    public static void LogSessionFallback(ILogger logger, IReadOnlyList<string> providers, string modelPath, OnnxRuntimeException error) =>
        LogProviderUnavailable(logger, string.Join(", ", providers), $"ONNX Runtime could not create the session: {error.Message.Trim()}", "the CPU", modelPath, error);

    private static OnnxExecutionProviderException Unavailable(
        IReadOnlyList<OnnxExecutionProvider> providers,
        string[] available,
        List<(OnnxExecutionProvider Provider, string Reason, Exception? Error)> failures,
        SessionSettings settings,
        string modelPath)
    {
        var message = new StringBuilder();
        message.Append("None of the requested ONNX Runtime execution providers (")
            .AppendJoin(", ", providers.Select(p => p.Name))
            .Append(") can run '").Append(modelPath).Append("', and ").Append(settings.OptionsName).Append(".AllowCpuFallback is off. ");
        foreach (var (provider, reason, _) in failures)
        {
            message.Append(provider.Name).Append(": ").Append(reason).Append(". ");
        }

        message.Append("This build has: ").AppendJoin(", ", available)
            .Append(". See docs/gpu.md, or set AllowCpuFallback to run on the CPU with a logged warning.");
        return new OnnxExecutionProviderException(
            message.ToString(),
            [.. providers.Select(p => p.Name)],
            available,
            failures.Select(f => f.Error).FirstOrDefault(e => e is not null));
    }

    private static string PackageHint(OnnxExecutionProvider provider) => provider.RuntimeName switch
    {
        "CUDAExecutionProvider" or "TensorrtExecutionProvider" => " (reference Microsoft.ML.OnnxRuntime.Gpu instead of Microsoft.ML.OnnxRuntime)",
        "DmlExecutionProvider" => " (reference Microsoft.ML.OnnxRuntime.DirectML instead of Microsoft.ML.OnnxRuntime, on Windows)",
        "CoreMLExecutionProvider" => " (CoreML is in Microsoft.ML.OnnxRuntime on macOS and iOS only)",
        "OpenVINOExecutionProvider" => " (reference Intel.ML.OnnxRuntime.OpenVino instead of Microsoft.ML.OnnxRuntime)",
        _ => string.Empty,
    };

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "ONNX execution provider {Provider} is unavailable for '{ModelPath}' ({Reason}); running on {Target} instead.")]
    private static partial void LogProviderUnavailable(ILogger logger, string provider, string reason, string target, string modelPath, Exception? exception);

    [LoggerMessage(EventId = 21, Level = LogLevel.Information, Message = "ONNX Runtime runs '{ModelPath}' on {Providers}, then the CPU for the nodes they cannot run.")]
    private static partial void LogProvidersChosen(ILogger logger, string providers, string modelPath);
}
