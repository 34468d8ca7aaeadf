using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Rerank.Onnx.Tokenization;

/// <summary>
/// A sentencepiece <c>precompiled_charsmap</c> (for XLM-R: nmt_nfkc, i.e. NFKC plus whitespace and control-character
/// rules): a Darts-clone double-array trie from UTF-8 byte sequences to replacement strings.
/// </summary>
/// <remarks>
/// Two callers apply it differently, and each way is reproduced exactly: sentencepiece itself takes the longest rule
/// at each byte position (<see cref="NormalizeLikeSentencePiece"/>), while Hugging Face's <c>Precompiled</c>
/// normaliser (spm_precompiled) replaces a whole grapheme cluster of under 6 bytes by the shortest rule matching its
/// start, and otherwise goes character by character (<see cref="NormalizeLikeHuggingFace"/>).
/// </remarks>
internal sealed class PrecompiledCharsMap
{
    private readonly uint[] _units;
    private readonly byte[] _replacements;
    private readonly string?[] _decoded;

    private PrecompiledCharsMap(uint[] units, byte[] replacements)
    {
        _units = units;
        _replacements = replacements;
        _decoded = new string?[replacements.Length];
    }

    /// <summary>Parses the blob: a little-endian uint32 trie size in bytes, the trie units, then the NUL-separated replacements.</summary>
    /// <param name="blob">The charsmap bytes.</param>
    /// <returns>The charsmap, or <see langword="null"/> for an empty blob (no rules).</returns>
    /// <exception cref="InvalidDataException">The blob is malformed.</exception>
    public static PrecompiledCharsMap? Parse(ReadOnlySpan<byte> blob)
    {
        if (blob.IsEmpty)
        {
            return null;
        }

        if (blob.Length < 4)
        {
            throw new InvalidDataException("The precompiled charsmap is shorter than its header.");
        }

        uint trieBytes = BinaryPrimitives.ReadUInt32LittleEndian(blob);
        if (trieBytes % 4 != 0 || trieBytes == 0 || trieBytes > (uint)(blob.Length - 4))
        {
            throw new InvalidDataException("The precompiled charsmap's trie size does not fit the data.");
        }

        var units = new uint[trieBytes / 4];
        for (int i = 0; i < units.Length; i++)
        {
            units[i] = BinaryPrimitives.ReadUInt32LittleEndian(blob[(4 + (i * 4))..]);
        }

        return new PrecompiledCharsMap(units, blob[(4 + (int)trieBytes)..].ToArray());
    }

    /// <summary>
    /// sentencepiece's <c>Normalizer::Normalize</c>: the longest rule at each position, then (per the model's
    /// normalizer spec) leading, trailing and repeated spaces removed, ▁ prepended and spaces escaped to ▁.
    /// </summary>
    /// <param name="map">The rules, or <see langword="null"/> for none.</param>
    /// <param name="text">The text; lone surrogates become U+FFFD.</param>
    /// <param name="addDummyPrefix">Prepend ▁ to non-empty text.</param>
    /// <param name="removeExtraWhitespaces">Drop leading, trailing and repeated spaces.</param>
    /// <param name="escapeWhitespaces">Write spaces as ▁.</param>
    /// <returns>The normalised text.</returns>
    public static string NormalizeLikeSentencePiece(PrecompiledCharsMap? map, string text, bool addDummyPrefix,
        bool removeExtraWhitespaces, bool escapeWhitespaces)
    {
        byte[] input = Encoding.UTF8.GetBytes(text);
        ReadOnlySpan<byte> space = escapeWhitespaces ? "\u2581"u8 : " "u8;
        var output = new ArrayBufferWriter<byte>(input.Length + 16);
        int position = 0;

        if (removeExtraWhitespaces)
        {
            while (position < input.Length)
            {
                ReadOnlySpan<byte> piece = NormalizePrefix(map, input.AsSpan(position), out int consumed);
                if (piece.Length != 1 || piece[0] != (byte)' ')
                {
                    break;
                }

                position += consumed;
            }
        }

        if (position >= input.Length)
        {
            return "";
        }

        if (addDummyPrefix)
        {
            output.Write(space);
        }

        bool previousWasSpace = removeExtraWhitespaces;
        while (position < input.Length)
        {
            ReadOnlySpan<byte> piece = NormalizePrefix(map, input.AsSpan(position), out int consumed);
            while (previousWasSpace && !piece.IsEmpty && piece[0] == (byte)' ')
            {
                piece = piece[1..];
            }

            if (!piece.IsEmpty)
            {
                foreach (byte b in piece)
                {
                    if (b == (byte)' ')
                    {
                        output.Write(space);
                    }
                    else
                    {
                        output.GetSpan(1)[0] = b;
                        output.Advance(1);
                    }
                }

                previousWasSpace = piece[^1] == (byte)' ';
            }

            position += consumed;
            if (!removeExtraWhitespaces)
            {
                previousWasSpace = false;
            }
        }

        ReadOnlySpan<byte> normalized = output.WrittenSpan;
        while (removeExtraWhitespaces && normalized.EndsWith(space))
        {
            normalized = normalized[..^space.Length];
        }

        return Encoding.UTF8.GetString(normalized);
    }

    /// <summary>Hugging Face's <c>Precompiled</c> normaliser (spm_precompiled's <c>normalize_string</c>).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The normalised text.</returns>
    public string NormalizeLikeHuggingFace(string text)
    {
        var output = new StringBuilder(text.Length + 8);
        Span<byte> buffer = stackalloc byte[16];
        int position = 0;
        while (position < text.Length)
        {
            char c = text[position];
            if (c < 0x80 && (position + 1 == text.Length || (text[position + 1] < 0x80 && !(c == '\r' && text[position + 1] == '\n'))))
            {
                // An ASCII character followed by ASCII is a grapheme of its own (CR LF aside): skip the segmenter.
                buffer[0] = (byte)c;
                if (ShortestPrefixValue(buffer[..1]) is int ascii and >= 0)
                {
                    output.Append(Replacement(ascii));
                }
                else
                {
                    output.Append(c);
                }

                position++;
                continue;
            }

            int length = StringInfo.GetNextTextElementLength(text, position);
            ReadOnlySpan<char> grapheme = text.AsSpan(position, length);
            position += length;

            if (Encoding.UTF8.GetByteCount(grapheme) < 6)
            {
                int written = Encoding.UTF8.GetBytes(grapheme, buffer);
                if (ShortestPrefixValue(buffer[..written]) is int whole and >= 0)
                {
                    output.Append(Replacement(whole));
                    continue;
                }
            }

            foreach (Rune rune in grapheme.EnumerateRunes())
            {
                int written = rune.EncodeToUtf8(buffer);
                if (ShortestPrefixValue(buffer[..written]) is int value and >= 0)
                {
                    output.Append(Replacement(value));
                }
                else
                {
                    output.Append(rune);
                }
            }
        }

        return output.ToString();
    }

    // Decoded replacements are cached by offset; a race only decodes the same string twice.
    private string Replacement(int offset) => _decoded[offset] ??= Encoding.UTF8.GetString(ReplacementBytes(offset));

    private ReadOnlySpan<byte> ReplacementBytes(int offset)
    {
        ReadOnlySpan<byte> rest = _replacements.AsSpan(offset);
        int end = rest.IndexOf((byte)0);
        return end < 0 ? rest : rest[..end];
    }

    // Darts-clone commonPrefixSearch; returns the value of the shortest (first) or longest match, or -1.
    private int PrefixSearch(ReadOnlySpan<byte> key, bool longest, out int matchLength)
    {
        matchLength = 0;
        int result = -1;
        uint nodePosition = Offset(_units[0]);
        for (int i = 0; i < key.Length; i++)
        {
            byte label = key[i];
            nodePosition ^= label;
            if (nodePosition >= _units.Length)
            {
                break;
            }

            uint unit = _units[nodePosition];
            if ((unit & 0x800000FFu) != label)
            {
                break;
            }

            nodePosition ^= Offset(unit);
            if (((unit >> 8) & 1) == 1 && nodePosition < _units.Length)
            {
                result = (int)(_units[nodePosition] & 0x7FFFFFFFu);
                matchLength = i + 1;
                if (!longest)
                {
                    break;
                }
            }
        }

        return result >= 0 && result < _replacements.Length ? result : -1;
    }

    private int ShortestPrefixValue(ReadOnlySpan<byte> key) => PrefixSearch(key, longest: false, out _);

    // sentencepiece's NormalizePrefix: the longest rule's replacement, else one UTF-8 character unchanged.
    private static ReadOnlySpan<byte> NormalizePrefix(PrecompiledCharsMap? map, ReadOnlySpan<byte> input, out int consumed)
    {
        if (map is not null && map.PrefixSearch(input, longest: true, out int length) is int value and >= 0)
        {
            consumed = length;
            return map.ReplacementBytes(value);
        }

        Rune.DecodeFromUtf8(input, out _, out consumed);
        return input[..consumed];
    }

    private static uint Offset(uint unit) => (unit >> 10) << (int)((unit & (1u << 9)) >> 6);
}
