namespace Rerank.Onnx.Hub;

/// <summary>
/// Progress of a download, reported through <see cref="IProgress{T}"/>: once when a file starts, as its bytes arrive,
/// and once when it is complete. Only files that are actually downloaded are reported; cached files are not.
/// </summary>
public readonly record struct HuggingFaceDownloadProgress
{
    /// <summary>Gets the repository id.</summary>
    public required string RepoId { get; init; }

    /// <summary>Gets the file being downloaded, as a path in the repository (<c>onnx/model.onnx</c>).</summary>
    public required string FilePath { get; init; }

    /// <summary>Gets the bytes of this file on disk so far, a resumed prefix included.</summary>
    public long FileBytesReceived { get; init; }

    /// <summary>Gets the size of this file, or <see langword="null"/> when the Hub did not announce it.</summary>
    public long? FileLength { get; init; }

    /// <summary>Gets the bytes on disk so far over all files of this call.</summary>
    public long BytesReceived { get; init; }

    /// <summary>Gets the total size of the files this call downloads, or <see langword="null"/> if a size is unknown.</summary>
    public long? TotalBytes { get; init; }

    /// <summary>Gets the 1-based number of this file among those this call downloads.</summary>
    public int FileNumber { get; init; }

    /// <summary>Gets how many files this call downloads.</summary>
    public int FileCount { get; init; }

    /// <summary>Gets a value indicating whether this file is complete and in the cache.</summary>
    public bool IsFileComplete { get; init; }
}
