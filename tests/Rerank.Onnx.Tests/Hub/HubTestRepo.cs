using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Rerank.Onnx.Tests.Hub;

/// <summary>A repository of the test Hub: commits of files, and branches pointing at them.</summary>
internal sealed class HubTestRepo
{
    private readonly Action<HubTestFile> _publishLfs;

    public HubTestRepo(string id, bool isPrivate, bool gated, Action<HubTestFile> publishLfs)
    {
        Id = id;
        Private = isPrivate;
        Gated = gated;
        _publishLfs = publishLfs;
    }

    public string Id { get; }

    public bool Private { get; }

    public bool Gated { get; }

    public ConcurrentDictionary<string, string> Branches { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, Dictionary<string, HubTestFile>> Commits { get; } = new(StringComparer.Ordinal);

    /// <summary>Adds a commit holding <paramref name="files"/> and points <paramref name="branch"/> at it. ONNX files and
    /// anything over 10 kB are LFS files, as on the Hub.</summary>
    public string Commit(IReadOnlyDictionary<string, byte[]> files, string branch = "main")
    {
        string commit = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
        var stored = new Dictionary<string, HubTestFile>(StringComparer.Ordinal);
        foreach ((string path, byte[] content) in files)
        {
            bool lfs = path.EndsWith(".onnx", StringComparison.Ordinal) || path.EndsWith(".onnx_data", StringComparison.Ordinal) || content.Length > 10_000;
            var file = new HubTestFile(path, content, lfs);
            stored[path] = file;
            if (lfs)
            {
                _publishLfs(file);
            }
        }

        Commits[commit] = stored;
        Branches[branch] = commit;
        return commit;
    }

    public HubTestFile File(string commit, string path) => Commits[commit][path];

    public string? ResolveCommit(string revision) =>
        Branches.TryGetValue(revision, out string? commit) ? commit
        : Commits.ContainsKey(revision) ? revision
        : null;
}
