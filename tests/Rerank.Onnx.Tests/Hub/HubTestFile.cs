using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Rerank.Onnx.Tests.Hub;

/// <summary>A file of a test repository, with the hashes the Hub uses as ETags.</summary>
internal sealed class HubTestFile
{
    public HubTestFile(string path, byte[] content, bool lfs)
    {
        Path = path;
        Content = content;
        Lfs = lfs;
        Sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        GitSha1 = GitBlobSha1(content);
        PointerSha1 = GitBlobSha1(Encoding.ASCII.GetBytes($"version https://git-lfs.github.com/spec/v1\noid sha256:{Sha256}\nsize {content.Length}\n"));
    }

    public string Path { get; }

    public byte[] Content { get; }

    public bool Lfs { get; }

    public string Sha256 { get; }

    public string GitSha1 { get; }

    /// <summary>Gets the Git SHA-1 of the LFS pointer file, which the Hub sends as the plain ETag of an LFS file.</summary>
    public string PointerSha1 { get; }

    /// <summary>Gets or sets a size to announce instead of the real one (for wrong-size tests).</summary>
    public long? AnnouncedSize { get; set; }

    /// <summary>Gets the name the blob has in the cache: the SHA-256 for LFS files, the Git blob SHA-1 otherwise.</summary>
    public string Etag => Lfs ? Sha256 : GitSha1;

    public static string GitBlobSha1(byte[] content)
    {
        byte[] header = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"blob {content.Length}\0"));
#pragma warning disable CA5350 // Git's object id, not security.
        return Convert.ToHexStringLower(SHA1.HashData([.. header, .. content]));
#pragma warning restore CA5350
    }
}
