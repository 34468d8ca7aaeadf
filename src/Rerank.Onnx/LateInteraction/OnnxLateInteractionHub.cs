using System.Text.Json;
using Microsoft.Extensions.Caching.Distributed;
using Rerank.Onnx.Hub;
using Rerank.Onnx.Model;

// In Rerank.Onnx, beside the reranker, so that `using Rerank.Onnx;` is all it takes to call FromPretrainedAsync.
namespace Rerank.Onnx;

/// <summary>
/// Creates an <see cref="OnnxLateInteractionReranker"/> from a Hugging Face Hub repository id, finding the checkpoint
/// in the <c>huggingface_hub</c> cache or downloading it there first (the same cache as the cross-encoder's).
/// </summary>
public static class OnnxLateInteractionHub
{
    private static readonly string[] SettingsFiles = ["modules.json", "config_sentence_transformers.json", "artifact.metadata", "sentence_bert_config.json"];

    /// <summary>Extends <see cref="OnnxLateInteractionReranker"/> with Hub loading.</summary>
    extension(OnnxLateInteractionReranker)
    {
        /// <summary>
        /// Gets a ColBERT checkpoint from the Hugging Face Hub (or the local cache) and loads it: config.json, the
        /// tokenizer, the ONNX file <see cref="OnnxLateInteractionOptions.ModelVariant"/> (or a relative
        /// <see cref="OnnxLateInteractionOptions.ModelPath"/>) selects, the ColBERT settings files and the projection
        /// (the Dense folders modules.json names, or a colbert-ai checkpoint's model.safetensors).
        /// </summary>
        /// <param name="repoId">The repository id, such as <c>answerdotai/answerai-colbert-small-v1</c>.</param>
        /// <param name="options">Settings; <see cref="OnnxLateInteractionOptions.ModelDirectory"/> must be left unset. The object is not changed.</param>
        /// <param name="documentCache">An optional distributed cache for document embeddings; the caller's, never disposed here.</param>
        /// <param name="hubOptions">Hub and cache settings; unset ones come from <c>HF_*</c> environment variables.</param>
        /// <param name="revision">A branch, tag or commit hash; <see langword="null"/> for <c>main</c>.</param>
        /// <param name="progress">Receives download progress.</param>
        /// <param name="cancellationToken">Cancels the download; a partial file is kept and resumed next time.</param>
        /// <returns>The loaded reranker; dispose it when done.</returns>
        /// <exception cref="ArgumentException">An argument is malformed, or the options name a model folder.</exception>
        /// <exception cref="HuggingFaceHubException">The checkpoint could not be found or downloaded; the derived type says why.</exception>
        /// <exception cref="OnnxModelNotFoundException">The repository lacks a file the model needs, such as its projection.</exception>
        /// <exception cref="OnnxModelLoadException">The downloaded files are not a late-interaction model ONNX Runtime can run.</exception>
        /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
        public static async Task<OnnxLateInteractionReranker> FromPretrainedAsync(
            string repoId,
            OnnxLateInteractionOptions? options = null,
            IDistributedCache? documentCache = null,
            HuggingFaceHubOptions? hubOptions = null,
            string? revision = null,
            IProgress<HuggingFaceDownloadProgress>? progress = null,
            CancellationToken cancellationToken = default)
        {
            using var downloader = new HuggingFaceModelDownloader(hubOptions);
            return await OnnxLateInteractionHub.FromPretrainedAsync(downloader, repoId, options, documentCache, revision, progress, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Gets a ColBERT checkpoint with an existing <see cref="HuggingFaceModelDownloader"/> and loads it. See the other overload.</summary>
        /// <param name="downloader">The downloader to use; not disposed.</param>
        /// <param name="repoId">The repository id.</param>
        /// <param name="options">Settings, as in the other overload.</param>
        /// <param name="documentCache">An optional distributed cache for document embeddings; the caller's.</param>
        /// <param name="revision">A branch, tag or commit hash; <see langword="null"/> for <c>main</c>.</param>
        /// <param name="progress">Receives download progress.</param>
        /// <param name="cancellationToken">Cancels the download.</param>
        /// <returns>The loaded reranker; dispose it when done.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="downloader"/> is <see langword="null"/>.</exception>
        /// <exception cref="ArgumentException">An argument is malformed, or the options name a model folder.</exception>
        /// <exception cref="HuggingFaceHubException">The checkpoint could not be found or downloaded.</exception>
        /// <exception cref="OnnxModelNotFoundException">The repository lacks a file the model needs.</exception>
        /// <exception cref="OnnxModelLoadException">The downloaded files are not a late-interaction model ONNX Runtime can run.</exception>
        /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
        public static async Task<OnnxLateInteractionReranker> FromPretrainedAsync(
            HuggingFaceModelDownloader downloader,
            string repoId,
            OnnxLateInteractionOptions? options = null,
            IDistributedCache? documentCache = null,
            string? revision = null,
            IProgress<HuggingFaceDownloadProgress>? progress = null,
            CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(downloader);
            HubNames.ValidateRepoId(repoId);
            HubNames.ValidateRevision(revision);
            OnnxLateInteractionOptions settings = Copy(options ?? new OnnxLateInteractionOptions());
            HubNames.RequireNoModelDirectory(settings.ModelDirectory, nameof(OnnxLateInteractionOptions), nameof(OnnxLateInteractionReranker));

            string? onnxFile = HubNames.ValidateOptionFilePath(settings.ModelPath, "OnnxLateInteractionOptions.ModelPath");
            IReadOnlyList<string> candidates = ModelFiles.RepositoryCandidates(onnxFile, settings.ModelVariant);

            // First the encoder and the settings files, then the projection files that those name, all at the commit the
            // first files came from.
            HuggingFaceSnapshot snapshot = await downloader.DownloadCrossEncoderAsync(repoId, revision, candidates, defaultOnnxChoice: onnxFile is null, [], progress, cancellationToken).ConfigureAwait(false);
            await downloader.ResolveAsync(repoId, snapshot.CommitHash, [.. SettingsFiles.Select(HubFileGroup.Optional)], progress, cancellationToken).ConfigureAwait(false);
            List<string> projection = ProjectionFiles(snapshot.Directory);
            if (projection.Count > 0)
            {
                await downloader.ResolveAsync(repoId, snapshot.CommitHash, [.. projection.Select(HubFileGroup.Optional)], progress, cancellationToken).ConfigureAwait(false);
            }

            settings.ModelDirectory = snapshot.Directory;
            settings.ModelPath = snapshot.GetPath(snapshot.Files.First(candidates.Contains));
            settings.ModelId ??= repoId;
            cancellationToken.ThrowIfCancellationRequested();
            return new OnnxLateInteractionReranker(settings, documentCache);
        }
    }

    /// <summary>Lists the projection files a snapshot's settings name (relative, '/'-separated); a missing one is then reported by the reranker, naming it.</summary>
    internal static List<string> ProjectionFiles(string directory)
    {
        var files = new List<string>();
        string modules = Path.Combine(directory, "modules.json");
        if (File.Exists(modules))
        {
            using JsonDocument document = JsonFiles.Parse(modules);
            if (document.RootElement.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement module in document.RootElement.EnumerateArray())
                {
                    if (JsonFiles.GetString(module, "type") is { } type && type.EndsWith(".Dense", StringComparison.Ordinal)
                        && JsonFiles.GetString(module, "path") is { Length: > 0 } folder)
                    {
                        files.Add(folder.TrimEnd('/') + "/config.json");
                        files.Add(folder.TrimEnd('/') + "/model.safetensors");
                    }
                }
            }
        }
        else if (File.Exists(Path.Combine(directory, "artifact.metadata")))
        {
            files.Add("model.safetensors");
        }

        return files;
    }

    /// <summary>Copies every setting, so that the caller's options object is left as it was.</summary>
    internal static OnnxLateInteractionOptions Copy(OnnxLateInteractionOptions options) => new()
    {
        ModelDirectory = options.ModelDirectory,
        ModelPath = options.ModelPath,
        ModelVariant = options.ModelVariant,
        QueryPrefix = options.QueryPrefix,
        DocumentPrefix = options.DocumentPrefix,
        QueryLength = options.QueryLength,
        DocumentLength = options.DocumentLength,
        DoQueryExpansion = options.DoQueryExpansion,
        AttendToExpansionTokens = options.AttendToExpansionTokens,
        SkiplistWords = options.SkiplistWords,
        ProjectionInGraph = options.ProjectionInGraph,
        BatchSize = options.BatchSize,
        DocumentCacheBytes = options.DocumentCacheBytes,
        DistributedCacheFormat = options.DistributedCacheFormat,
        IntraOpNumThreads = options.IntraOpNumThreads,
        InterOpNumThreads = options.InterOpNumThreads,
        ConfigureSessionOptions = options.ConfigureSessionOptions,
        ExecutionProviders = options.ExecutionProviders is null ? null : [.. options.ExecutionProviders],
        AllowCpuFallback = options.AllowCpuFallback,
        ModelId = options.ModelId,
        Logger = options.Logger,
    };
}
