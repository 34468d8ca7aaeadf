namespace Rerank.Onnx.Hub;

/// <summary>
/// A model's files in the local Hugging Face cache: the snapshot folder of one commit
/// (<c>{cache}/models--{org}--{name}/snapshots/{commit}</c>), which can be handed to anything that loads a model folder.
/// </summary>
public sealed class HuggingFaceSnapshot
{
    internal HuggingFaceSnapshot(string repoId, string revision, string commitHash, string directory, IReadOnlyList<string> files, IReadOnlyList<string> downloadedFiles)
    {
        RepoId = repoId;
        Revision = revision;
        CommitHash = commitHash;
        Directory = directory;
        Files = files;
        DownloadedFiles = downloadedFiles;
    }

    /// <summary>Gets the repository id.</summary>
    public string RepoId { get; }

    /// <summary>Gets the revision asked for (branch, tag or commit hash).</summary>
    public string Revision { get; }

    /// <summary>Gets the commit the revision resolved to.</summary>
    public string CommitHash { get; }

    /// <summary>Gets the snapshot folder.</summary>
    public string Directory { get; }

    /// <summary>Gets the repository paths of the files resolved for this request, all present in <see cref="Directory"/>.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>Gets the files this call downloaded; empty when everything came from the cache.</summary>
    public IReadOnlyList<string> DownloadedFiles { get; }

    /// <summary>Gets the local path of a file of the snapshot.</summary>
    /// <param name="filePath">The path in the repository, such as <c>onnx/model.onnx</c>.</param>
    /// <returns>The full local path.</returns>
    /// <exception cref="ArgumentException"><paramref name="filePath"/> is not a relative path inside the repository.</exception>
    public string GetPath(string filePath) =>
        Path.Combine(Directory, HubNames.ValidateFilePath(filePath, nameof(filePath)).Replace('/', Path.DirectorySeparatorChar));
}
