using Rerank.Onnx.Hub;
using Rerank.Onnx.Model;

// In Rerank.Onnx rather than Rerank.Onnx.Hub, beside OnnxCrossEncoderReranker, so that `using Rerank.Onnx;` is all it
// takes to write OnnxCrossEncoderReranker.FromPretrainedAsync(...).
namespace Rerank.Onnx;

/// <summary>
/// Creates an <see cref="OnnxCrossEncoderReranker"/> from a Hugging Face Hub repository id, finding the model in the
/// <c>huggingface_hub</c> cache or downloading it there first:
/// <c>await OnnxCrossEncoderReranker.FromPretrainedAsync("cross-encoder/ms-marco-MiniLM-L-6-v2")</c>.
/// </summary>
public static class OnnxCrossEncoderHub
{
    /// <summary>Extends <see cref="OnnxCrossEncoderReranker"/> with Hub loading.</summary>
    extension(OnnxCrossEncoderReranker)
    {
        /// <summary>
        /// Gets a cross-encoder from the Hugging Face Hub (or the local cache) and loads it: <c>config.json</c>, the tokenizer
        /// files and the ONNX file that <see cref="OnnxCrossEncoderOptions.ModelVariant"/> (or a relative
        /// <see cref="OnnxCrossEncoderOptions.ModelPath"/>) selects.
        /// </summary>
        /// <param name="repoId">The repository id, such as <c>cross-encoder/ms-marco-MiniLM-L-6-v2</c>.</param>
        /// <param name="options">
        /// Reranker settings; <see cref="OnnxCrossEncoderOptions.ModelDirectory"/> must be left unset (it becomes the
        /// snapshot folder), and <see cref="OnnxCrossEncoderOptions.ModelPath"/> / <see cref="OnnxCrossEncoderOptions.TokenizerPath"/>
        /// may only name files of the repository. The object is not changed.
        /// </param>
        /// <param name="hubOptions">Hub and cache settings; unset ones come from <c>HF_*</c> environment variables.</param>
        /// <param name="revision">A branch, tag or commit hash; <see langword="null"/> for <c>main</c>.</param>
        /// <param name="progress">Receives download progress; not called when everything is cached.</param>
        /// <param name="cancellationToken">Cancels the download; a partial file is kept and resumed next time.</param>
        /// <returns>The loaded reranker; dispose it when done.</returns>
        /// <exception cref="ArgumentException">An argument is malformed, or the options name a model folder or an absolute path.</exception>
        /// <exception cref="HuggingFaceHubException">The model could not be found or downloaded; the derived type says why (offline, unreachable, access denied, not found, corrupt).</exception>
        /// <exception cref="OnnxModelLoadException">The downloaded files are not a cross-encoder ONNX Runtime can run.</exception>
        /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
        public static async Task<OnnxCrossEncoderReranker> FromPretrainedAsync(
            string repoId,
            OnnxCrossEncoderOptions? options = null,
            HuggingFaceHubOptions? hubOptions = null,
            string? revision = null,
            IProgress<HuggingFaceDownloadProgress>? progress = null,
            CancellationToken cancellationToken = default)
        {
            using var downloader = new HuggingFaceModelDownloader(hubOptions);
            return await OnnxCrossEncoderHub.FromPretrainedAsync(downloader, repoId, options, revision, progress, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>
        /// Gets a cross-encoder with an existing <see cref="HuggingFaceModelDownloader"/> (to share its cache settings and
        /// HTTP client) and loads it. See the other overload for the details.
        /// </summary>
        /// <param name="downloader">The downloader to use; not disposed.</param>
        /// <param name="repoId">The repository id.</param>
        /// <param name="options">Reranker settings, as in the other overload.</param>
        /// <param name="revision">A branch, tag or commit hash; <see langword="null"/> for <c>main</c>.</param>
        /// <param name="progress">Receives download progress.</param>
        /// <param name="cancellationToken">Cancels the download.</param>
        /// <returns>The loaded reranker; dispose it when done.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="downloader"/> is <see langword="null"/>.</exception>
        /// <exception cref="ArgumentException">An argument is malformed, or the options name a model folder or an absolute path.</exception>
        /// <exception cref="HuggingFaceHubException">The model could not be found or downloaded.</exception>
        /// <exception cref="OnnxModelLoadException">The downloaded files are not a cross-encoder ONNX Runtime can run.</exception>
        /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
        public static async Task<OnnxCrossEncoderReranker> FromPretrainedAsync(
            HuggingFaceModelDownloader downloader,
            string repoId,
            OnnxCrossEncoderOptions? options = null,
            string? revision = null,
            IProgress<HuggingFaceDownloadProgress>? progress = null,
            CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(downloader);
            OnnxCrossEncoderOptions settings = Copy(options ?? new OnnxCrossEncoderOptions());
            HubNames.RequireNoModelDirectory(settings.ModelDirectory, nameof(OnnxCrossEncoderOptions), nameof(OnnxCrossEncoderReranker));

            string? onnxFile = HubNames.ValidateOptionFilePath(settings.ModelPath, "OnnxCrossEncoderOptions.ModelPath");
            string? tokenizerFile = HubNames.ValidateOptionFilePath(settings.TokenizerPath, "OnnxCrossEncoderOptions.TokenizerPath");

            IReadOnlyList<string> candidates = ModelFiles.RepositoryCandidates(onnxFile, settings.ModelVariant);
            HuggingFaceSnapshot snapshot = await downloader.DownloadCrossEncoderAsync(
                repoId, revision, candidates, defaultOnnxChoice: onnxFile is null, tokenizerFile is null ? [] : [tokenizerFile], progress, cancellationToken).ConfigureAwait(false);

            settings.ModelDirectory = snapshot.Directory;
            settings.ModelPath = snapshot.GetPath(snapshot.Files.First(candidates.Contains));
            settings.TokenizerPath = tokenizerFile;
            settings.ModelId ??= repoId;
            cancellationToken.ThrowIfCancellationRequested();
            return new OnnxCrossEncoderReranker(settings);
        }
    }

    /// <summary>Copies every setting, so that the caller's options object is left as it was.</summary>
    internal static OnnxCrossEncoderOptions Copy(OnnxCrossEncoderOptions options) => new()
    {
        ModelDirectory = options.ModelDirectory,
        ModelPath = options.ModelPath,
        TokenizerPath = options.TokenizerPath,
        ModelVariant = options.ModelVariant,
        MaxLength = options.MaxLength,
        BatchSize = options.BatchSize,
        IntraOpNumThreads = options.IntraOpNumThreads,
        InterOpNumThreads = options.InterOpNumThreads,
        Activation = options.Activation,
        LabelIndex = options.LabelIndex,
        ConfigureSessionOptions = options.ConfigureSessionOptions,
        ExecutionProviders = options.ExecutionProviders is null ? null : [.. options.ExecutionProviders],
        AllowCpuFallback = options.AllowCpuFallback,
        ModelId = options.ModelId,
        Logger = options.Logger,
    };
}
