using Rerank.Onnx.Hub;

namespace Rerank.Onnx;

/// <summary>What an <c>onnx</c> configuration section describes: the reranker options, and for a Hub model its repository, revision and hub settings.</summary>
/// <param name="Options">The reranker options (the folder is set for a local model).</param>
/// <param name="RepoId">The Hub repository id, or <see langword="null"/> for a local folder.</param>
/// <param name="Revision">The Hub revision, or <see langword="null"/> for <c>main</c>.</param>
/// <param name="Hub">The hub settings, or <see langword="null"/> for a local folder.</param>
internal sealed record OnnxConfiguredModel(OnnxCrossEncoderOptions Options, string? RepoId, string? Revision, HuggingFaceHubOptions? Hub);
