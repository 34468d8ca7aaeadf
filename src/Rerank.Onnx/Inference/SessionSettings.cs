using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace Rerank.Onnx.Inference;

/// <summary>
/// The settings every ONNX front-end (cross-encoder, embedding generator, late-interaction reranker) gives its session,
/// taken from its own options type, whose name the messages use.
/// </summary>
/// <param name="OptionsName">The options type, such as <c>OnnxEmbeddingGeneratorOptions</c>, for messages that name a setting.</param>
/// <param name="IntraOpNumThreads">Threads within an operator; <see langword="null"/> for ONNX Runtime's default.</param>
/// <param name="InterOpNumThreads">Threads across operators; <see langword="null"/> for ONNX Runtime's default.</param>
/// <param name="ExecutionProviders">The providers to try, most preferred first; <see langword="null"/> or empty for the CPU.</param>
/// <param name="AllowCpuFallback">Whether the CPU may take over, with a warning, when no requested provider can run the model.</param>
/// <param name="ConfigureSessionOptions">The caller's hook, applied last.</param>
/// <param name="Logger">Receives provider warnings; <see langword="null"/> logs nothing.</param>
internal sealed record SessionSettings(
    string OptionsName,
    int? IntraOpNumThreads,
    int? InterOpNumThreads,
    IReadOnlyList<OnnxExecutionProvider>? ExecutionProviders,
    bool AllowCpuFallback,
    Action<SessionOptions>? ConfigureSessionOptions,
    ILogger? Logger);
