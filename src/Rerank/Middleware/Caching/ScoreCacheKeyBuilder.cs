using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Runtime.InteropServices;

namespace Rerank;

/// <summary>
/// Derives cache keys: one digest per (reranker identity, model, score-affecting options, query), then one per document
/// from that digest and the document text. Every field is length-prefixed (UTF-16 code units, little-endian), so no two different inputs encode alike.
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

    /// <summary>Computes one key per document: SHA-256 of the prefix digest, the text's length and the text.</summary>
    public static void ForDocuments(ScoreCacheKey prefix, IReadOnlyList<RerankDocument> documents, ScoreCacheKey[] keys)
    {
        Span<byte> prefixBytes = stackalloc byte[ScoreCacheKey.Size];
        prefix.WriteTo(prefixBytes);
        Span<byte> digest = stackalloc byte[ScoreCacheKey.Size];
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (int i = 0; i < documents.Count; i++)
        {
            hash.AppendData(prefixBytes);
            AppendText(hash, documents[i].Text);
            hash.GetHashAndReset(digest);
            keys[i] = ScoreCacheKey.FromDigest(digest);
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
