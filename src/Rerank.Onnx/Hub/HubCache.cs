using System.Text;
using Microsoft.Extensions.Logging;

namespace Rerank.Onnx.Hub;

/// <summary>
/// One repository's folder in the <c>huggingface_hub</c> cache:
/// <c>models--{org}--{name}/blobs/{etag}</c> (the content), <c>snapshots/{commit}/{path}</c> (a relative symlink to the
/// blob, or a copy where links cannot be made), <c>refs/{revision}</c> (the commit a branch or tag pointed to), and
/// <c>.no_exist/{commit}/{path}</c> (an empty marker: the file is known not to exist at that commit). Locks live in
/// <c>{cache}/.locks/models--{org}--{name}/{etag}.lock</c>, where Python's <c>filelock</c> puts them.
/// </summary>
internal sealed class HubCache
{
    private static int s_symlinkWarningLogged;
    private readonly ILogger _logger;

    public HubCache(string cacheDirectory, string repoId, ILogger logger)
    {
        CacheDirectory = cacheDirectory;
        RepoId = repoId;
        _logger = logger;
        string folderName = "models--" + repoId.Replace("/", "--", StringComparison.Ordinal);
        RepoFolder = Path.Combine(cacheDirectory, folderName);
        LocksFolder = Path.Combine(cacheDirectory, ".locks", folderName);
    }

    public string CacheDirectory { get; }

    public string RepoId { get; }

    public string RepoFolder { get; }

    public string LocksFolder { get; }

    public string SnapshotFolder(string commit) => Path.Combine(RepoFolder, "snapshots", commit);

    public string PointerPath(string commit, string filePath) => Path.Combine(SnapshotFolder(commit), ToLocal(filePath));

    public string BlobPath(string etag) => Path.Combine(RepoFolder, "blobs", etag);

    public string IncompletePath(string etag) => BlobPath(etag) + ".incomplete";

    public string LockPath(string etag) => Path.Combine(LocksFolder, etag + ".lock");

    /// <summary>Finds the commit a revision resolves to without the network: the revision itself if it is a hash, else <c>refs/{revision}</c>.</summary>
    public string? TryResolveCommit(string revision)
    {
        if (HubNames.IsCommitHash(revision))
        {
            return revision;
        }

        string refPath = Path.Combine(RepoFolder, "refs", ToLocal(revision));
        try
        {
            if (File.Exists(refPath))
            {
                string commit = File.ReadAllText(refPath).Trim();
                return HubNames.IsSafeServerName(commit) ? commit : null;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            HubLog.CacheReadFailed(_logger, refPath, ex);
        }

        return null;
    }

    /// <summary>Tells what the cache knows of a file at a commit: present, known absent, or unknown.</summary>
    public HubCacheEntry Probe(string commit, string filePath)
    {
        if (File.Exists(PointerPath(commit, filePath)))
        {
            return HubCacheEntry.Present;
        }

        return File.Exists(Path.Combine(RepoFolder, ".no_exist", commit, ToLocal(filePath))) ? HubCacheEntry.KnownAbsent : HubCacheEntry.Unknown;
    }

    /// <summary>Records that a file does not exist at a commit, as <c>huggingface_hub</c> does after an EntryNotFound 404.</summary>
    public void MarkAbsent(string commit, string filePath)
    {
        string marker = Path.Combine(RepoFolder, ".no_exist", commit, ToLocal(filePath));
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(marker)!);
            using (File.Open(marker, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite))
            {
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The marker only saves a request next time; a read-only cache must not fail the download.
            HubLog.CacheWriteFailed(_logger, marker, ex);
        }
    }

    /// <summary>Writes <c>refs/{revision}</c> atomically (another process may be reading it) when it changed.</summary>
    public void WriteRef(string revision, string commit)
    {
        if (revision == commit)
        {
            return;
        }

        string refPath = Path.Combine(RepoFolder, "refs", ToLocal(revision));
        try
        {
            if (File.Exists(refPath) && File.ReadAllText(refPath).Trim() == commit)
            {
                return;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(refPath)!);
            string temporary = $"{refPath}.{Guid.NewGuid():N}.tmp";
            File.WriteAllText(temporary, commit, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            File.Move(temporary, refPath, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // huggingface_hub#1216: a shared read-only cache must still serve files; the ref is only a shortcut.
            HubLog.CacheWriteFailed(_logger, refPath, ex);
        }
    }

    /// <summary>Makes <c>snapshots/{commit}/{path}</c> point at the blob: a relative symlink, or a copy where links fail.</summary>
    public string LinkSnapshot(string commit, string filePath, string etag)
    {
        string pointer = PointerPath(commit, filePath);
        string blob = BlobPath(etag);
        if (File.Exists(pointer))
        {
            return pointer;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(pointer)!);
        DeleteDanglingLink(pointer);
        string relativeTarget = Path.GetRelativePath(Path.GetDirectoryName(pointer)!, blob);
        try
        {
            File.CreateSymbolicLink(pointer, relativeTarget);
            return pointer;
        }
        catch (IOException) when (File.Exists(pointer))
        {
            // Another thread or process linked it between our check and our link: same blob, nothing to do.
            return pointer;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            if (Interlocked.Exchange(ref s_symlinkWarningLogged, 1) == 0)
            {
                HubLog.SymlinksUnsupported(_logger, CacheDirectory, ex);
            }
        }

        // No symlinks (Windows without developer mode): copy, through a temporary name so a reader never sees half a file.
        string temporary = $"{pointer}.{Guid.NewGuid():N}.tmp";
        File.Copy(blob, temporary);
        File.Move(temporary, pointer, overwrite: true);
        return pointer;
    }

    /// <summary>Removes a symlink whose blob is gone, so that it can be made again.</summary>
    public static void DeleteDanglingLink(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null && !File.Exists(path))
        {
            info.Delete();
        }
    }

    private static string ToLocal(string repoPath) => repoPath.Replace('/', Path.DirectorySeparatorChar);
}
