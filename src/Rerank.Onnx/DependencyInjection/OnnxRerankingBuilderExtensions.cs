using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Rerank;
using Rerank.Onnx;
using Rerank.Onnx.Hub;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds local ONNX cross-encoders to <c>services.AddReranking()</c>: a named reranker in code, or the <c>onnx</c> provider of the configuration schema.</summary>
/// <remarks>
/// The model is loaded once per container (one ONNX Runtime session, shared by every scope and caller): on first use, or when the
/// host starts by <see cref="RerankingOptions.Loading"/>. The container disposes the reranker, and its session, when it is disposed.
/// </remarks>
public static class OnnxRerankingBuilderExtensions
{
    /// <summary>Adds a named <see cref="OnnxCrossEncoderReranker"/> loaded from a Hugging Face model folder.</summary>
    /// <param name="builder">The reranking builder.</param>
    /// <param name="name">The name.</param>
    /// <param name="modelDirectory">The folder holding config.json, the tokenizer files and the ONNX model.</param>
    /// <returns>The pipeline builder, to add middleware.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> or <paramref name="modelDirectory"/> is empty, or <paramref name="name"/> holds a <c>:</c>.</exception>
    public static RerankerBuilder AddOnnxCrossEncoder(this IRerankingBuilder builder, string name, string modelDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelDirectory);
        return builder.AddOnnxCrossEncoder(name, o => o.ModelDirectory = modelDirectory);
    }

    /// <summary>Adds a named <see cref="OnnxCrossEncoderReranker"/> with the options <paramref name="configure"/> sets.</summary>
    /// <param name="builder">The reranking builder.</param>
    /// <param name="name">The name.</param>
    /// <param name="configure">Sets the model folder (or files), variant, limits and threads. The logger defaults to the container's.</param>
    /// <returns>The pipeline builder, to add middleware.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or holds a <c>:</c>.</exception>
    public static RerankerBuilder AddOnnxCrossEncoder(this IRerankingBuilder builder, string name, Action<OnnxCrossEncoderOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.AddOnnxProvider();
        return builder.AddReranker(name, sp =>
        {
            var options = new OnnxCrossEncoderOptions();
            configure(options);
            options.Logger ??= sp.GetService<ILoggerFactory>()?.CreateLogger<OnnxCrossEncoderReranker>();
            return new OnnxCrossEncoderReranker(options);
        });
    }

    /// <summary>Adds a named <see cref="OnnxCrossEncoderReranker"/> from a Hugging Face Hub repository, found in the local cache or downloaded there when the reranker is built.</summary>
    /// <param name="builder">The reranking builder.</param>
    /// <param name="name">The name.</param>
    /// <param name="repoId">The repository id, such as <c>cross-encoder/ms-marco-MiniLM-L-6-v2</c>.</param>
    /// <param name="configure">Sets the variant, limits and threads; <see cref="OnnxCrossEncoderOptions.ModelDirectory"/> must stay unset.</param>
    /// <param name="hubOptions">Hub and cache settings; unset ones come from the <c>HF_*</c> environment variables. An <see cref="HttpClient"/> in them stays yours.</param>
    /// <returns>The pipeline builder, to add middleware.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> or <paramref name="repoId"/> is empty, or <paramref name="name"/> holds a <c>:</c>.</exception>
    public static RerankerBuilder AddOnnxCrossEncoderFromPretrained(
        this IRerankingBuilder builder, string name, string repoId, Action<OnnxCrossEncoderOptions>? configure = null, HuggingFaceHubOptions? hubOptions = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(repoId);
        builder.AddOnnxProvider();
        return builder.AddReranker(name, sp =>
        {
            var options = new OnnxCrossEncoderOptions();
            configure?.Invoke(options);
            options.Logger ??= sp.GetService<ILoggerFactory>()?.CreateLogger<OnnxCrossEncoderReranker>();

            // A DI factory is synchronous; the download runs on the thread pool so that no synchronization context can deadlock it.
            return Task.Run(() => OnnxCrossEncoderReranker.FromPretrainedAsync(repoId, options, hubOptions)).GetAwaiter().GetResult();
        });
    }

    /// <summary>Registers the <c>onnx</c> provider, so that configured rerankers can say <c>"Provider": "onnx"</c>.</summary>
    /// <param name="builder">The reranking builder.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <remarks>
    /// Its keys besides the common ones: <c>ModelDirectory</c> (a local folder) or the common <c>Model</c> (a Hub repository id),
    /// <c>Variant</c>, <c>ModelPath</c>, <c>TokenizerPath</c>, <c>MaxLength</c>, <c>BatchSize</c>, <c>IntraOpNumThreads</c>,
    /// <c>InterOpNumThreads</c>, <c>Activation</c>, <c>LabelIndex</c>, and for the Hub <c>Revision</c>, <c>CacheDirectory</c>,
    /// <c>Offline</c>, <c>HubEndpoint</c> and <c>HubToken</c>.
    /// </remarks>
    public static IRerankingBuilder AddOnnxProvider(this IRerankingBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<RerankerProviderFactory, OnnxProviderFactory>());
        return builder;
    }
}
