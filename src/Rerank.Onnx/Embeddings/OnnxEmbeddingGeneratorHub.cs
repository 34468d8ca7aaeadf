using Rerank.Onnx.Embeddings;
using Rerank.Onnx.Hub;
using Rerank.Onnx.Model;

// In Rerank.Onnx, beside the generator, so that `using Rerank.Onnx;` is all it takes to call FromPretrainedAsync.
namespace Rerank.Onnx;

/// <summary>
/// Creates an <see cref="OnnxEmbeddingGenerator"/> from a Hugging Face Hub repository id, finding the model in the
/// <c>huggingface_hub</c> cache or downloading it there first (the same cache and downloader as the cross-encoder's):
/// <c>await OnnxEmbeddingGenerator.FromPretrainedAsync("sentence-transformers/all-MiniLM-L6-v2")</c>.
/// </summary>
public static class OnnxEmbeddingGeneratorHub
{
    /// <summary>Extends <see cref="OnnxEmbeddingGenerator"/> with Hub loading.</summary>
    extension(OnnxEmbeddingGenerator)
    {
        /// <summary>
        /// Gets a sentence-transformers model from the Hugging Face Hub (or the local cache) and loads it: config.json,
        /// the tokenizer files, the ONNX file <see cref="OnnxEmbeddingGeneratorOptions.ModelVariant"/> (or a relative
        /// <see cref="OnnxEmbeddingGeneratorOptions.ModelPath"/>) selects, and those of <c>modules.json</c>, the pooling
        /// configuration it names, <c>sentence_bert_config.json</c> and <c>config_sentence_transformers.json</c> that the
        /// repository has.
        /// </summary>
        /// <param name="repoId">The repository id, such as <c>sentence-transformers/all-MiniLM-L6-v2</c> or <c>BAAI/bge-small-en-v1.5</c>.</param>
        /// <param name="options">
        /// Generator settings; <see cref="OnnxEmbeddingGeneratorOptions.ModelDirectory"/> must be left unset (it becomes the
        /// snapshot folder), and <see cref="OnnxEmbeddingGeneratorOptions.ModelPath"/> /
        /// <see cref="OnnxEmbeddingGeneratorOptions.TokenizerPath"/> may only name files of the repository. The object is not changed.
        /// </param>
        /// <param name="hubOptions">Hub and cache settings; unset ones come from <c>HF_*</c> environment variables.</param>
        /// <param name="revision">A branch, tag or commit hash; <see langword="null"/> for <c>main</c>.</param>
        /// <param name="progress">Receives download progress; not called when everything is cached.</param>
        /// <param name="cancellationToken">Cancels the download; a partial file is kept and resumed next time.</param>
        /// <returns>The loaded generator; dispose it when done.</returns>
        /// <exception cref="ArgumentException">An argument is malformed, or the options name a model folder or an absolute path.</exception>
        /// <exception cref="HuggingFaceHubException">The model could not be found or downloaded; the derived type says why (offline, unreachable, access denied, not found, corrupt).</exception>
        /// <exception cref="OnnxModelLoadException">The downloaded files are not an embedding model this library can run.</exception>
        /// <exception cref="OnnxModelNotFoundException">The repository lacks a file its own settings name, such as the pooling configuration.</exception>
        /// <exception cref="OnnxExecutionProviderException">No requested execution provider can run the model and the CPU fall-back is off.</exception>
        /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
        public static async Task<OnnxEmbeddingGenerator> FromPretrainedAsync(
            string repoId,
            OnnxEmbeddingGeneratorOptions? options = null,
            HuggingFaceHubOptions? hubOptions = null,
            string? revision = null,
            IProgress<HuggingFaceDownloadProgress>? progress = null,
            CancellationToken cancellationToken = default)
        {
            using var downloader = new HuggingFaceModelDownloader(hubOptions);
            return await OnnxEmbeddingGeneratorHub.FromPretrainedAsync(downloader, repoId, options, revision, progress, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>
        /// Gets a sentence-transformers model with an existing <see cref="HuggingFaceModelDownloader"/> (to share its cache
        /// settings and HTTP client) and loads it. See the other overload for the details.
        /// </summary>
        /// <param name="downloader">The downloader to use; not disposed.</param>
        /// <param name="repoId">The repository id.</param>
        /// <param name="options">Generator settings, as in the other overload.</param>
        /// <param name="revision">A branch, tag or commit hash; <see langword="null"/> for <c>main</c>.</param>
        /// <param name="progress">Receives download progress.</param>
        /// <param name="cancellationToken">Cancels the download.</param>
        /// <returns>The loaded generator; dispose it when done.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="downloader"/> is <see langword="null"/>.</exception>
        /// <exception cref="ArgumentException">An argument is malformed, or the options name a model folder or an absolute path.</exception>
        /// <exception cref="HuggingFaceHubException">The model could not be found or downloaded.</exception>
        /// <exception cref="OnnxModelLoadException">The downloaded files are not an embedding model this library can run.</exception>
        /// <exception cref="OnnxModelNotFoundException">The repository lacks a file its own settings name, such as the pooling configuration.</exception>
        /// <exception cref="OnnxExecutionProviderException">No requested execution provider can run the model and the CPU fall-back is off.</exception>
        /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
        public static async Task<OnnxEmbeddingGenerator> FromPretrainedAsync(
            HuggingFaceModelDownloader downloader,
            string repoId,
            OnnxEmbeddingGeneratorOptions? options = null,
            string? revision = null,
            IProgress<HuggingFaceDownloadProgress>? progress = null,
            CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(downloader);
            OnnxEmbeddingGeneratorOptions settings = Copy(options ?? new OnnxEmbeddingGeneratorOptions());
            HubNames.RequireNoModelDirectory(settings.ModelDirectory, nameof(OnnxEmbeddingGeneratorOptions), nameof(OnnxEmbeddingGenerator));

            string? onnxFile = HubNames.ValidateOptionFilePath(settings.ModelPath, "OnnxEmbeddingGeneratorOptions.ModelPath");
            string? tokenizerFile = HubNames.ValidateOptionFilePath(settings.TokenizerPath, "OnnxEmbeddingGeneratorOptions.TokenizerPath");

            IReadOnlyList<string> candidates = ModelFiles.RepositoryCandidates(onnxFile, settings.ModelVariant);
            // config.json and modules.json first: a model this library cannot run (a Dense projection, a router) is refused
            // before its ONNX file is downloaded, and modules.json says where the pooling configuration is.
            HubNames.ValidateRepoId(repoId);
            HuggingFaceSnapshot settingsSnapshot = await downloader.ResolveAsync(
                repoId, HubNames.ValidateRevision(revision), [HubFileGroup.Required("config.json"), HubFileGroup.Optional("modules.json")], progress, cancellationToken).ConfigureAwait(false);
            string poolingConfig = SentenceTransformerConfig.PoolingConfigFile(settingsSnapshot.Directory);

            // The rest at the commit the first files came from, even if the branch moves meanwhile.
            HuggingFaceSnapshot snapshot = await downloader.DownloadCrossEncoderAsync(
                repoId,
                settingsSnapshot.CommitHash,
                candidates,
                defaultOnnxChoice: onnxFile is null,
                tokenizerFile is null ? [] : [tokenizerFile],
                progress,
                cancellationToken,
                ["sentence_bert_config.json", "config_sentence_transformers.json", poolingConfig]).ConfigureAwait(false);

            settings.ModelDirectory = snapshot.Directory;
            settings.ModelPath = snapshot.GetPath(snapshot.Files.First(candidates.Contains));
            settings.TokenizerPath = tokenizerFile;
            settings.ModelId ??= repoId;
            cancellationToken.ThrowIfCancellationRequested();
            return new OnnxEmbeddingGenerator(settings);
        }
    }

    /// <summary>Copies every setting, so that the caller's options object is left as it was.</summary>
    internal static OnnxEmbeddingGeneratorOptions Copy(OnnxEmbeddingGeneratorOptions options) => new()
    {
        ModelDirectory = options.ModelDirectory,
        ModelPath = options.ModelPath,
        TokenizerPath = options.TokenizerPath,
        ModelVariant = options.ModelVariant,
        MaxLength = options.MaxLength,
        Pooling = options.Pooling,
        Normalize = options.Normalize,
        DefaultPromptName = options.DefaultPromptName,
        BatchSize = options.BatchSize,
        IntraOpNumThreads = options.IntraOpNumThreads,
        InterOpNumThreads = options.InterOpNumThreads,
        ConfigureSessionOptions = options.ConfigureSessionOptions,
        ExecutionProviders = options.ExecutionProviders is null ? null : [.. options.ExecutionProviders],
        AllowCpuFallback = options.AllowCpuFallback,
        ModelId = options.ModelId,
        Logger = options.Logger,
    };
}
