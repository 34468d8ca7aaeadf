using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Rerank.Onnx.Hub;

/// <summary>
/// Checks content against its ETag, which on the Hub is the content's own hash: the SHA-256 of the file for Git LFS
/// files (64 hex digits), the Git blob SHA-1 (<c>sha1("blob {size}\0" + content)</c>, 40 hex digits) for the others.
/// An ETag of any other shape (a mirror's) is not checked.
/// </summary>
internal sealed class HubContentHash : IDisposable
{
    private readonly string _expected;
    private readonly HashAlgorithmName _algorithm;
    private readonly byte[] _prefix;
    private IncrementalHash _hash;

    private HubContentHash(string expected, HashAlgorithmName algorithm, byte[] prefix)
    {
        _expected = expected;
        _algorithm = algorithm;
        _prefix = prefix;
        _hash = Start();
    }

    public string Algorithm => _algorithm == HashAlgorithmName.SHA256 ? "SHA-256" : "Git blob SHA-1";

    public static HubContentHash? Create(string etag, long? size)
    {
        if (!IsHex(etag))
        {
            return null;
        }

        if (etag.Length == 64)
        {
            return new HubContentHash(etag.ToLowerInvariant(), HashAlgorithmName.SHA256, []);
        }

        return etag.Length == 40 && size is long length
            ? new HubContentHash(etag.ToLowerInvariant(), HashAlgorithmName.SHA1, Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"blob {length}\0")))
            : null;
    }

    public void Append(ReadOnlySpan<byte> data) => _hash.AppendData(data);

    public void Reset()
    {
        _hash.Dispose();
        _hash = Start();
    }

    public bool Matches(out string actual)
    {
        actual = Convert.ToHexStringLower(_hash.GetHashAndReset());
        return actual == _expected;
    }

    public void Dispose() => _hash.Dispose();

    private IncrementalHash Start()
    {
        // SHA-1 here identifies Git blobs, as Git itself does; it is not used for security.
#pragma warning disable CA5350
        IncrementalHash hash = IncrementalHash.CreateHash(_algorithm);
#pragma warning restore CA5350
        hash.AppendData(_prefix);
        return hash;
    }

    private static bool IsHex(string value)
    {
        foreach (char c in value)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return value.Length > 0;
    }
}
