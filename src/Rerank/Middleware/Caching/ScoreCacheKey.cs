using System.Buffers.Binary;

namespace Rerank;

/// <summary>The SHA-256 digest that identifies one cached score; it holds no raw text.</summary>
internal readonly record struct ScoreCacheKey(ulong A, ulong B, ulong C, ulong D)
{
    /// <summary>The digest size in bytes.</summary>
    public const int Size = 32;

    /// <summary>Reads a key from a 32-byte digest.</summary>
    public static ScoreCacheKey FromDigest(ReadOnlySpan<byte> digest) => new(
        BinaryPrimitives.ReadUInt64LittleEndian(digest),
        BinaryPrimitives.ReadUInt64LittleEndian(digest[8..]),
        BinaryPrimitives.ReadUInt64LittleEndian(digest[16..]),
        BinaryPrimitives.ReadUInt64LittleEndian(digest[24..]));

    /// <summary>Writes the 32-byte digest.</summary>
    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(destination, A);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], B);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[16..], C);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[24..], D);
    }

    /// <summary>Formats the key for a string-keyed cache: the prefix followed by the digest in base64url (43 characters).</summary>
    public string ToString(string prefix)
    {
        Span<byte> digest = stackalloc byte[Size];
        WriteTo(digest);
        return string.Concat(prefix, System.Buffers.Text.Base64Url.EncodeToString(digest));
    }
}
