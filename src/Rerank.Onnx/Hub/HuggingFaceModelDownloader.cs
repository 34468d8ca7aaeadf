using System.Net;
using Rerank.Onnx.Tokenization;

namespace Rerank.Onnx.Hub;

/// <summary>
/// Downloads model files from the Hugging Face Hub into the cache that Python's <c>huggingface_hub</c> uses, and finds
/// them there: a model already downloaded by Python (or by an earlier run) is used without a download, and with a
/// complete snapshot without any request at all.
/// </summary>
/// <remarks>
/// <para>
/// The cache layout is <c>huggingface_hub</c>'s: <c>models--{org}--{name}/blobs/{etag}</c>,
/// <c>snapshots/{commit}/{path}</c> (a relative symlink to the blob, a copy where links cannot be made) and
/// <c>refs/{revision}</c>. Settings come from <see cref="HuggingFaceHubOptions"/> and otherwise from the same environment
/// variables as in Python (<c>HF_HOME</c>, <c>HF_HUB_CACHE</c>, <c>HF_ENDPOINT</c>, <c>HF_TOKEN</c>, <c>HF_HUB_OFFLINE</c>).
/// </para>
/// <para>
/// Downloads are atomic (a file enters the cache only whole, size- and hash-checked), resumable (a partial file is
/// continued with an HTTP Range request, within a call and by the next call), and safe between threads and processes
/// that download the same file (a lock file per blob, the one Python uses). Instances are thread-safe.
/// </para>
/// </remarks>
public sealed class HuggingFaceModelDownloader : IDisposable
{
    private readonly HubSettings _settings;
    private readonly HttpClient _client;
    private readonly bool _ownsClient;
    private readonly HubHttp _http;
    private int _disposed;

    /// <summary>Initializes a new instance of the <see cref="HuggingFaceModelDownloader"/> class.</summary>
    /// <param name="options">Settings; <see langword="null"/> or unset properties fall back to the environment, then to the defaults.</param>
    /// <exception cref="ArgumentException">An option or environment variable holds an unusable value (a relative endpoint, an empty cache folder).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A timeout is not positive, or <see cref="HuggingFaceHubOptions.MaxResumeAttempts"/> is negative.</exception>
    public HuggingFaceModelDownloader(HuggingFaceHubOptions? options = null)
        : this(options, Environment.GetEnvironmentVariable)
    {
    }

    internal HuggingFaceModelDownloader(HuggingFaceHubOptions? options, Func<string, string?> environment)
    {
        options ??= new HuggingFaceHubOptions();
        _settings = HubSettings.Resolve(options, environment);
        if (options.HttpClient is HttpClient client)
        {
            _client = client;
        }
        else
        {
            HttpMessageHandler handler = options.HttpMessageHandler ?? new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.None,
                ConnectTimeout = _settings.MetadataTimeout,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            };
            _client = new HttpClient(handler, disposeHandler: options.HttpMessageHandler is null) { Timeout = Timeout.InfiniteTimeSpan };
            _ownsClient = true;
        }

        _http = new HubHttp(_client, _settings);
    }

    /// <summary>Gets the ONNX files looked for, in order, when no file is named: <c>onnx/model.onnx</c>, then <c>model.onnx</c>.</summary>
    public static IReadOnlyList<string> DefaultOnnxFiles { get; } = ["onnx/model.onnx", "model.onnx"];

    /// <summary>Gets the cache folder in use.</summary>
    public string CacheDirectory => _settings.CacheDirectory;

    /// <summary>Gets the Hub address in use.</summary>
    public Uri Endpoint => _settings.Endpoint;

    /// <summary>Gets a value indicating whether the downloader works from the cache only.</summary>
    public bool IsOffline => _settings.Offline;

    /// <summary>Gets one file of a repository, from the cache or the Hub.</summary>
    /// <param name="repoId">The repository id, such as <c>cross-encoder/ms-marco-MiniLM-L-6-v2</c>.</param>
    /// <param name="filePath">The path in the repository, such as <c>config.json</c> or <c>onnx/model.onnx</c>.</param>
    /// <param name="revision">A branch, tag or commit hash; <see langword="null"/> for <c>main</c>.</param>
    /// <param name="progress">Receives download progress; not called for a cached file.</param>
    /// <param name="cancellationToken">Cancels the call; a partial download is kept and resumed next time.</param>
    /// <returns>The local path of the file in its snapshot folder.</returns>
    /// <exception cref="ArgumentException">The repository id, file path or revision is malformed or could leave the cache folder.</exception>
    /// <exception cref="HuggingFaceHubOfflineException">Offline mode is on and the file is not cached.</exception>
    /// <exception cref="HuggingFaceHubUnavailableException">The Hub could not be reached and the file is not cached.</exception>
    /// <exception cref="HuggingFaceHubAccessDeniedException">The Hub answered 401 or 403.</exception>
    /// <exception cref="HuggingFaceHubNotFoundException">The repository, revision or file does not exist.</exception>
    /// <exception cref="HuggingFaceHubIntegrityException">The file received does not have the announced size or hash.</exception>
    /// <exception cref="HuggingFaceHubException">The server's answer cannot be used.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The downloader was disposed.</exception>
    public async Task<string> DownloadFileAsync(
        string repoId, string filePath, string? revision = null, IProgress<HuggingFaceDownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        HubNames.ValidateRepoId(repoId);
        HubNames.ValidateFilePath(filePath, nameof(filePath));
        string rev = HubNames.ValidateRevision(revision);
        HuggingFaceSnapshot snapshot = await ResolveAsync(repoId, rev, [HubFileGroup.Required(filePath)], progress, cancellationToken).ConfigureAwait(false);
        return snapshot.GetPath(filePath);
    }

    /// <summary>Gets several files of a repository at one commit, from the cache or the Hub; every file must exist.</summary>
    /// <param name="repoId">The repository id.</param>
    /// <param name="filePaths">The paths in the repository.</param>
    /// <param name="revision">A branch, tag or commit hash; <see langword="null"/> for <c>main</c>.</param>
    /// <param name="progress">Receives download progress, with totals over the files downloaded.</param>
    /// <param name="cancellationToken">Cancels the call; a partial download is kept and resumed next time.</param>
    /// <returns>The snapshot holding the files.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="filePaths"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An argument is malformed, or <paramref name="filePaths"/> is empty.</exception>
    /// <exception cref="HuggingFaceHubOfflineException">Offline mode is on and files are not cached.</exception>
    /// <exception cref="HuggingFaceHubUnavailableException">The Hub could not be reached and files are not cached.</exception>
    /// <exception cref="HuggingFaceHubAccessDeniedException">The Hub answered 401 or 403.</exception>
    /// <exception cref="HuggingFaceHubNotFoundException">The repository, revision or a file does not exist.</exception>
    /// <exception cref="HuggingFaceHubIntegrityException">A file received does not have the announced size or hash.</exception>
    /// <exception cref="HuggingFaceHubException">The server's answer cannot be used.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The downloader was disposed.</exception>
    public Task<HuggingFaceSnapshot> DownloadFilesAsync(
        string repoId, IEnumerable<string> filePaths, string? revision = null, IProgress<HuggingFaceDownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        HubNames.ValidateRepoId(repoId);
        ArgumentNullException.ThrowIfNull(filePaths);
        string rev = HubNames.ValidateRevision(revision);
        List<HubFileGroup> groups = [];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string filePath in filePaths)
        {
            if (seen.Add(HubNames.ValidateFilePath(filePath, nameof(filePaths))))
            {
                groups.Add(HubFileGroup.Required(filePath));
            }
        }

        if (groups.Count == 0)
        {
            throw new ArgumentException("At least one file path is needed.", nameof(filePaths));
        }

        return ResolveAsync(repoId, rev, groups, progress, cancellationToken);
    }

    /// <summary>
    /// Gets the files a cross-encoder needs to run with ONNX Runtime, from the cache or the Hub: <c>config.json</c>; the
    /// tokenizer (the first of <c>tokenizer.json</c>, <c>vocab.txt</c> and <c>sentencepiece.bpe.model</c> that exists);
    /// <c>tokenizer_config.json</c> and <c>special_tokens_map.json</c> if they exist; and one ONNX file with its
    /// external weights (<c>.onnx_data</c>) if it has them.
    /// </summary>
    /// <param name="repoId">The repository id, such as <c>cross-encoder/ms-marco-MiniLM-L-6-v2</c> or <c>BAAI/bge-reranker-base</c>.</param>
    /// <param name="revision">A branch, tag or commit hash; <see langword="null"/> for <c>main</c>.</param>
    /// <param name="onnxFile">
    /// The ONNX file to use, such as <c>onnx/model_quantized.onnx</c> or <c>onnx/model_qint8_avx512.onnx</c> for an int8
    /// model; <see langword="null"/> for the first of <see cref="DefaultOnnxFiles"/> that exists.
    /// </param>
    /// <param name="progress">Receives download progress, with totals over the files downloaded.</param>
    /// <param name="cancellationToken">Cancels the call; a partial download is kept and resumed next time.</param>
    /// <returns>The snapshot: a model folder ready to load.</returns>
    /// <exception cref="ArgumentException">An argument is malformed.</exception>
    /// <exception cref="HuggingFaceHubOfflineException">Offline mode is on and needed files are not cached.</exception>
    /// <exception cref="HuggingFaceHubUnavailableException">The Hub could not be reached and needed files are not cached.</exception>
    /// <exception cref="HuggingFaceHubAccessDeniedException">The Hub answered 401 or 403.</exception>
    /// <exception cref="HuggingFaceHubNotFoundException">The repository or revision does not exist, or it has no config, tokenizer or ONNX file.</exception>
    /// <exception cref="HuggingFaceHubIntegrityException">A file received does not have the announced size or hash.</exception>
    /// <exception cref="HuggingFaceHubException">The server's answer cannot be used.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The downloader was disposed.</exception>
    public Task<HuggingFaceSnapshot> DownloadCrossEncoderAsync(
        string repoId, string? revision = null, string? onnxFile = null, IProgress<HuggingFaceDownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        HubNames.ValidateRepoId(repoId);
        IReadOnlyList<string> onnxCandidates = onnxFile is null ? DefaultOnnxFiles : [HubNames.ValidateFilePath(onnxFile, nameof(onnxFile))];
        return DownloadCrossEncoderAsync(repoId, revision, onnxCandidates, onnxFile is null, extraFiles: [], progress, cancellationToken);
    }

    /// <summary>
    /// Gets a model's config, tokenizer and first existing ONNX file of <paramref name="onnxCandidates"/> (the order the
    /// loaders look for a variant in), any <paramref name="extraFiles"/> the caller needs and the
    /// <paramref name="optionalFiles"/> that exist, all at one commit.
    /// </summary>
    internal Task<HuggingFaceSnapshot> DownloadCrossEncoderAsync(
        string repoId,
        string? revision,
        IReadOnlyList<string> onnxCandidates,
        bool defaultOnnxChoice,
        IReadOnlyList<string> extraFiles,
        IProgress<HuggingFaceDownloadProgress>? progress,
        CancellationToken cancellationToken,
        IReadOnlyList<string>? optionalFiles = null)
    {
        HubNames.ValidateRepoId(repoId);
        string rev = HubNames.ValidateRevision(revision);
        optionalFiles ??= [];
        foreach (string file in onnxCandidates.Concat(extraFiles).Concat(optionalFiles))
        {
            HubNames.ValidateFilePath(file, nameof(onnxCandidates));
        }

        List<HubFileGroup> groups =
        [
            HubFileGroup.Required("config.json"),
            HubFileGroup.Optional("tokenizer_config.json"),
            HubFileGroup.Optional("special_tokens_map.json"),
            // The tokenizer the loader will use: the first of its files that exists, in its own order of preference.
            new(HubFileRule.FirstOf, TokenizerLoader.TokenizerFiles, Hint: "The model needs a Hugging Face tokenizer file."),
            new(
                HubFileRule.FirstOf,
                onnxCandidates,
                CompanionSuffix: "_data",
                Hint: defaultOnnxChoice
                    ? "The repository has no ONNX export at the usual places: name the file with the onnxFile argument (for example 'onnx/model_quantized.onnx'), pick a repository that has one, or export it (optimum-cli export onnx --model <id> <folder>) and load the folder."
                    : "Check the file name in the repository's 'Files' tab."),
        ];
        groups.AddRange(extraFiles.Where(f => !groups.Any(g => g.Candidates.Contains(f))).Select(HubFileGroup.Required));
        groups.AddRange(optionalFiles.Where(f => !groups.Any(g => g.Candidates.Contains(f))).Select(HubFileGroup.Optional));
        return ResolveAsync(repoId, rev, groups, progress, cancellationToken);
    }

    /// <summary>Finds a file in the cache without any network access.</summary>
    /// <param name="repoId">The repository id.</param>
    /// <param name="filePath">The path in the repository.</param>
    /// <param name="revision">A branch, tag or commit hash; <see langword="null"/> for <c>main</c>.</param>
    /// <returns>The local path, or <see langword="null"/> if the cache does not hold the file at that revision.</returns>
    /// <exception cref="ArgumentException">An argument is malformed.</exception>
    /// <exception cref="ObjectDisposedException">The downloader was disposed.</exception>
    public string? TryGetCachedFile(string repoId, string filePath, string? revision = null)
    {
        HubNames.ValidateRepoId(repoId);
        HubNames.ValidateFilePath(filePath, nameof(filePath));
        string rev = HubNames.ValidateRevision(revision);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var cache = new HubCache(_settings.CacheDirectory, repoId, _settings.Logger);
        return cache.TryResolveCommit(rev) is string commit && cache.Probe(commit, filePath) == HubCacheEntry.Present ? cache.PointerPath(commit, filePath) : null;
    }

    /// <summary>Releases the HTTP client, if the downloader created it.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0 && _ownsClient)
        {
            _client.Dispose();
        }
    }

    internal async Task<HuggingFaceSnapshot> ResolveAsync(
        string repoId, string revision, IReadOnlyList<HubFileGroup> groups, IProgress<HuggingFaceDownloadProgress>? progress, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        var cache = new HubCache(_settings.CacheDirectory, repoId, _settings.Logger);
        string? cachedCommit = cache.TryResolveCommit(revision);

        if (_settings.Offline)
        {
            return FromCacheOrThrowOffline(cache, revision, cachedCommit, groups);
        }

        if (cachedCommit is not null && (!_settings.CheckForUpdates || HubNames.IsCommitHash(revision)))
        {
            CacheView view = Evaluate(cache, cachedCommit, groups, offline: false);
            if (view.Complete)
            {
                HubLog.CacheHit(_settings.Logger, repoId, revision, cachedCommit, cache.SnapshotFolder(cachedCommit));
                return new HuggingFaceSnapshot(repoId, revision, cachedCommit, cache.SnapshotFolder(cachedCommit), view.Files, []);
            }
        }

        try
        {
            return await ResolveOnlineAsync(cache, revision, groups, progress, cancellationToken).ConfigureAwait(false);
        }
        catch (HuggingFaceHubUnavailableException ex)
        {
            // As huggingface_hub does: when the Hub cannot be reached, what the cache holds for the revision still serves.
            CacheView? view = cachedCommit is null ? null : Evaluate(cache, cachedCommit, groups, offline: true);
            if (view is { Missing.Count: 0 })
            {
                HubLog.UsingCacheAfterFailure(_settings.Logger, repoId, revision, cachedCommit!, ex);
                return new HuggingFaceSnapshot(repoId, revision, cachedCommit!, cache.SnapshotFolder(cachedCommit!), view.Files, []);
            }

            IReadOnlyList<string> missing = view?.Missing ?? [.. groups.Where(g => g.Rule != HubFileRule.Optional).Select(g => g.Describe())];
            throw new HuggingFaceHubUnavailableException(
                $"{ex.Message} The cache at {_settings.CacheDirectory} cannot stand in for '{repoId}' at revision '{revision}': {(cachedCommit is null ? "the revision was never downloaded" : "it lacks " + string.Join("; ", missing))}.",
                ex)
            {
                RepoId = repoId, Revision = revision, FilePath = ex.FilePath, StatusCode = ex.StatusCode, MissingFiles = missing,
            };
        }
    }

    private HuggingFaceSnapshot FromCacheOrThrowOffline(HubCache cache, string revision, string? cachedCommit, IReadOnlyList<HubFileGroup> groups)
    {
        CacheView? view = cachedCommit is null ? null : Evaluate(cache, cachedCommit, groups, offline: true);
        if (view is { Missing.Count: 0 })
        {
            HubLog.CacheHit(_settings.Logger, cache.RepoId, revision, cachedCommit!, cache.SnapshotFolder(cachedCommit!));
            return new HuggingFaceSnapshot(cache.RepoId, revision, cachedCommit!, cache.SnapshotFolder(cachedCommit!), view.Files, []);
        }

        IReadOnlyList<string> missing = view?.Missing ?? [.. groups.Where(g => g.Rule != HubFileRule.Optional).Select(g => g.Describe())];
        string where = cachedCommit is null
            ? $"has no record of revision '{revision}' ({Path.Combine(cache.RepoFolder, "refs", revision)} does not exist: the model was never downloaded at this revision)"
            : $"holds snapshot {cachedCommit} of revision '{revision}' in {cache.SnapshotFolder(cachedCommit)}, which lacks {string.Join("; ", missing)}";
        // Say how to turn off the offline mode that is actually on: an option the program set is not an environment variable to unset.
        string online = _settings.OfflineSource.StartsWith("HuggingFaceHubOptions", StringComparison.Ordinal)
            ? "without HuggingFaceHubOptions.Offline = true"
            : $"with {_settings.OfflineSource.Split('=')[0]} unset";
        throw new HuggingFaceHubOfflineException(
            $"Offline mode is on ({_settings.OfflineSource}), so the Hub was not contacted, and the cache at {_settings.CacheDirectory} {where}. Download '{cache.RepoId}' once with network access ({online}), point HF_HUB_CACHE or HF_HOME at a cache that has it, or load a model folder directly.")
        {
            RepoId = cache.RepoId, Revision = revision, MissingFiles = missing, CacheDirectory = _settings.CacheDirectory,
        };
    }

    private async Task<HuggingFaceSnapshot> ResolveOnlineAsync(
        HubCache cache, string revision, IReadOnlyList<HubFileGroup> groups, IProgress<HuggingFaceDownloadProgress>? progress, CancellationToken cancellationToken)
    {
        string repoId = cache.RepoId;
        string? commit = HubNames.IsCommitHash(revision) ? revision : null;
        var resolved = new List<HubFileMetadata>();

        async Task<HubFileMetadata> HeadAsync(string filePath)
        {
            // After the first answer, ask at the commit it named, so that every file comes from the same commit even if
            // the branch moves meanwhile.
            HubFileMetadata metadata = await _http.GetMetadataAsync(repoId, commit ?? revision, filePath, cancellationToken).ConfigureAwait(false);
            commit ??= metadata.CommitHash;
            if (!metadata.Exists && (metadata.CommitHash ?? commit) is string at)
            {
                cache.MarkAbsent(at, filePath);
                HubLog.OptionalFileAbsent(_settings.Logger, repoId, filePath, at);
            }

            return metadata;
        }

        foreach (HubFileGroup group in groups)
        {
            string? chosen = null;
            foreach (string candidate in group.Candidates)
            {
                HubFileMetadata metadata = await HeadAsync(candidate).ConfigureAwait(false);
                if (metadata.Exists)
                {
                    resolved.Add(metadata);
                    chosen = candidate;
                    if (group.Rule == HubFileRule.FirstOf)
                    {
                        break;
                    }
                }
            }

            if (chosen is null && group.Rule != HubFileRule.Optional)
            {
                throw FileNotFound(repoId, revision, commit, group);
            }

            if (chosen is not null && group.CompanionSuffix is string suffix)
            {
                HubFileMetadata companion = await HeadAsync(chosen + suffix).ConfigureAwait(false);
                if (companion.Exists)
                {
                    resolved.Add(companion);
                }
            }
        }

        if (commit is null)
        {
            throw new HuggingFaceHubException($"The Hub did not say which commit revision '{revision}' of '{repoId}' is (no X-Repo-Commit header).")
            {
                RepoId = repoId, Revision = revision,
            };
        }

        List<string> downloaded = await DownloadMissingAsync(cache, revision, commit, resolved, progress, cancellationToken).ConfigureAwait(false);
        cache.WriteRef(revision, commit);
        return new HuggingFaceSnapshot(repoId, revision, commit, cache.SnapshotFolder(commit), [.. resolved.Select(m => m.FilePath)], downloaded);
    }

    private async Task<List<string>> DownloadMissingAsync(
        HubCache cache, string revision, string commit, List<HubFileMetadata> resolved, IProgress<HuggingFaceDownloadProgress>? progress, CancellationToken cancellationToken)
    {
        List<HubFileMetadata> toFetch = [.. resolved.Where(m => !File.Exists(cache.PointerPath(commit, m.FilePath)) && !BlobIsWhole(cache, m))];
        long? totalBytes = toFetch.All(m => m.Size is not null) ? toFetch.Sum(m => m.Size!.Value) : null;
        long finishedBytes = 0;
        int number = 0;
        var downloaded = new List<string>();
        foreach (HubFileMetadata file in resolved)
        {
            if (File.Exists(cache.PointerPath(commit, file.FilePath)))
            {
                continue;
            }

            if (toFetch.Contains(file))
            {
                number++;
                int fileNumber = number;
                long before = finishedBytes;
                HuggingFaceDownloadProgress Report(long fileBytes, bool complete) => new()
                {
                    RepoId = cache.RepoId,
                    FilePath = file.FilePath,
                    FileBytesReceived = fileBytes,
                    FileLength = file.Size,
                    BytesReceived = before + fileBytes,
                    TotalBytes = totalBytes,
                    FileNumber = fileNumber,
                    FileCount = toFetch.Count,
                    IsFileComplete = complete,
                };

                var download = new HubBlobDownload(_http, _settings, cache, revision, file, fileBytes => progress?.Report(Report(fileBytes, false)));
                if (await download.EnsureAsync(cancellationToken).ConfigureAwait(false))
                {
                    downloaded.Add(file.FilePath);
                }

                long length = new FileInfo(cache.BlobPath(file.Etag)).Length;
                progress?.Report(Report(length, true));
                finishedBytes += length;
            }

            cache.LinkSnapshot(commit, file.FilePath, file.Etag);
        }

        return downloaded;
    }

    private static bool BlobIsWhole(HubCache cache, HubFileMetadata file)
    {
        var blob = new FileInfo(cache.BlobPath(file.Etag));
        return blob.Exists && (file.Size is not long size || blob.Length == size);
    }

    private static HuggingFaceHubNotFoundException FileNotFound(string repoId, string revision, string? commit, HubFileGroup group)
    {
        string at = commit is null || commit == revision ? $"revision '{revision}'" : $"revision '{revision}' (commit {commit})";
        string what = group.Rule == HubFileRule.Required
            ? $"File '{group.Candidates[0]}' was not found in repository '{repoId}' at {at}."
            : $"None of {string.Join(", ", group.Candidates)} was found in repository '{repoId}' at {at}.";
        return new HuggingFaceHubNotFoundException(group.Hint is null ? what : what + " " + group.Hint)
        {
            RepoId = repoId, Revision = revision, FilePath = group.Candidates[0], StatusCode = HttpStatusCode.NotFound, Missing = HuggingFaceHubMissingItem.File,
        };
    }

    private static CacheView Evaluate(HubCache cache, string commit, IReadOnlyList<HubFileGroup> groups, bool offline)
    {
        // Offline, a file the cache knows nothing about is treated as absent; online, it makes the view incomplete, so
        // the Hub is asked rather than an optional file silently skipped.
        var files = new List<string>();
        var missing = new List<string>();
        bool complete = true;
        foreach (HubFileGroup group in groups)
        {
            string? chosen = null;
            foreach (string candidate in group.Candidates)
            {
                HubCacheEntry entry = cache.Probe(commit, candidate);
                if (entry == HubCacheEntry.Present)
                {
                    files.Add(candidate);
                    chosen = candidate;
                    if (group.Rule == HubFileRule.FirstOf)
                    {
                        break;
                    }
                }
                else if (entry == HubCacheEntry.Unknown && !offline)
                {
                    complete = false;
                    if (group.Rule == HubFileRule.FirstOf)
                    {
                        break;
                    }
                }
            }

            if (chosen is null && group.Rule != HubFileRule.Optional)
            {
                missing.Add(group.Describe());
            }

            if (chosen is not null && group.CompanionSuffix is string suffix)
            {
                HubCacheEntry companion = cache.Probe(commit, chosen + suffix);
                if (companion == HubCacheEntry.Present)
                {
                    files.Add(chosen + suffix);
                }
                else if (companion == HubCacheEntry.Unknown && !offline)
                {
                    complete = false;
                }
            }
        }

        return new CacheView(complete && missing.Count == 0, files, missing);
    }

    private sealed record CacheView(bool Complete, List<string> Files, List<string> Missing);
}
