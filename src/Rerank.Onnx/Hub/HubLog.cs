using Microsoft.Extensions.Logging;

namespace Rerank.Onnx.Hub;

/// <summary>The downloader's log messages. None of them carries the token or a request header.</summary>
internal static partial class HubLog
{
    [LoggerMessage(1, LogLevel.Debug, "Using cached snapshot {Commit} of {RepoId} at revision {Revision} from {Folder} without contacting the Hub.")]
    public static partial void CacheHit(ILogger logger, string repoId, string revision, string commit, string folder);

    [LoggerMessage(2, LogLevel.Warning, "Could not read {Path} in the Hugging Face cache.")]
    public static partial void CacheReadFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(3, LogLevel.Warning, "Could not write {Path} in the Hugging Face cache; continuing without it.")]
    public static partial void CacheWriteFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(4, LogLevel.Warning, "Symbolic links cannot be created in {CacheDirectory}; snapshot files are copied from their blobs instead, which uses more disk.")]
    public static partial void SymlinksUnsupported(ILogger logger, string cacheDirectory, Exception exception);

    [LoggerMessage(5, LogLevel.Debug, "Asking the Hub for {Url}.")]
    public static partial void RequestingMetadata(ILogger logger, Uri url);

    [LoggerMessage(6, LogLevel.Information, "Downloading {FilePath} of {RepoId} ({Size} bytes) from {Host}.")]
    public static partial void DownloadStarting(ILogger logger, string repoId, string filePath, long? size, string host);

    [LoggerMessage(7, LogLevel.Information, "Resuming {FilePath} of {RepoId} from byte {Offset}.")]
    public static partial void Resuming(ILogger logger, string repoId, string filePath, long offset);

    [LoggerMessage(8, LogLevel.Information, "The server ignored the Range request for {FilePath}; downloading it from the start.")]
    public static partial void RangeIgnored(ILogger logger, string filePath);

    [LoggerMessage(9, LogLevel.Warning, "The download of {FilePath} of {RepoId} broke off at byte {Received} (attempt {Attempt} of {Attempts}); resuming.")]
    public static partial void DownloadInterrupted(ILogger logger, string repoId, string filePath, long received, int attempt, int attempts, Exception exception);

    [LoggerMessage(10, LogLevel.Information, "Downloaded {FilePath} of {RepoId}: {Size} bytes, stored as blob {Etag}.")]
    public static partial void DownloadCompleted(ILogger logger, string repoId, string filePath, long size, string etag);

    [LoggerMessage(11, LogLevel.Information, "Waiting for {LockPath}: another thread or process is downloading the same file.")]
    public static partial void WaitingForLock(ILogger logger, string lockPath);

    [LoggerMessage(12, LogLevel.Warning, "The Hub could not be reached for {RepoId} at revision {Revision}; using the cached snapshot {Commit}.")]
    public static partial void UsingCacheAfterFailure(ILogger logger, string repoId, string revision, string commit, Exception exception);

    [LoggerMessage(13, LogLevel.Debug, "{FilePath} does not exist in {RepoId} at commit {Commit}; it is optional.")]
    public static partial void OptionalFileAbsent(ILogger logger, string repoId, string filePath, string commit);

    [LoggerMessage(14, LogLevel.Warning, "The cached blob {Path} has {Actual} bytes but the Hub announces {Expected}; downloading it again.")]
    public static partial void CorruptBlobReplaced(ILogger logger, string path, long actual, long expected);

    [LoggerMessage(15, LogLevel.Debug, "{FilePath} of {RepoId} is already in the cache as blob {Etag}.")]
    public static partial void BlobAlreadyCached(ILogger logger, string repoId, string filePath, string etag);
}
