namespace Rerank.Testing.RealModels;

/// <summary>
/// Writes a model folder into a huggingface_hub cache as one snapshot of a repository at <c>main</c>, the layout Python
/// leaves (<c>models--org--name/refs/main</c>, <c>snapshots/{commit}/…</c>), so that a <c>FromPretrainedAsync</c> run
/// with <c>HF_HUB_CACHE</c> pointed there and <c>HF_HUB_OFFLINE=1</c> loads it without a network.
/// </summary>
public static class HubCacheFolder
{
    /// <summary>The commit the snapshot is filed under.</summary>
    public const string Commit = "0123456789abcdef0123456789abcdef01234567";

    /// <summary>Copies every file of <paramref name="modelFolder"/> into the cache at <paramref name="cacheDirectory"/> as <paramref name="repoId"/>.</summary>
    /// <param name="cacheDirectory">The cache folder (what <c>HF_HUB_CACHE</c> names); created if needed.</param>
    /// <param name="repoId">The repository id, such as <c>sentence-transformers/all-MiniLM-L6-v2</c>.</param>
    /// <param name="modelFolder">The files to publish.</param>
    public static void Write(string cacheDirectory, string repoId, string modelFolder)
    {
        string repo = Path.Combine(cacheDirectory, "models--" + repoId.Replace("/", "--", StringComparison.Ordinal));
        foreach (string file in Directory.GetFiles(modelFolder, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(repo, "snapshots", Commit, Path.GetRelativePath(modelFolder, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }

        Directory.CreateDirectory(Path.Combine(repo, "refs"));
        File.WriteAllText(Path.Combine(repo, "refs", "main"), Commit);
    }
}
