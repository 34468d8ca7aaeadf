using System.Buffers;
using System.Text;

namespace Rerank.Onnx.Tokenization;

/// <summary>
/// Finds the added tokens (the special tokens such as [SEP] or &lt;mask&gt;) written literally in a text, which the
/// Hugging Face tokenizers turn into their ids before normalising the rest (tokenizers' AddedVocabulary
/// <c>find_matches</c>): leftmost-longest matches on the raw text, a token with <c>lstrip</c>/<c>rstrip</c> also
/// swallowing the whitespace on that side, and a <c>single_word</c> token matched only between non-word characters.
/// </summary>
internal sealed class AddedTokenSplitter
{
    private readonly AddedToken[] _tokens;
    private readonly SearchValues<char> _firstChars;

    /// <summary>Initializes a new instance of the <see cref="AddedTokenSplitter"/> class.</summary>
    /// <param name="tokens">The added tokens; empty contents are ignored.</param>
    public AddedTokenSplitter(IEnumerable<AddedToken> tokens)
    {
        // Longest first, so the first token that matches at a position is the longest one there.
        _tokens = [.. tokens.Where(t => t.Content.Length > 0).OrderByDescending(t => t.Content.Length)];
        _firstChars = SearchValues.Create([.. _tokens.Select(t => t.Content[0]).Distinct()]);
    }

    /// <summary>Gets a value indicating whether there is any token to look for.</summary>
    public bool IsEmpty => _tokens.Length == 0;

    /// <summary>Gets a value indicating whether some token's text holds whitespace, so that a cut before a space could split a match.</summary>
    public bool HasTokenWithWhitespace => _tokens.Any(t => t.Content.Any(char.IsWhiteSpace));

    /// <summary>Splits <paramref name="text"/> into plain-text ranges and added tokens, in order.</summary>
    /// <param name="text">The raw text.</param>
    /// <param name="segments">Receives (start, length, token id or -1 for plain text) for every non-empty segment.</param>
    public void Split(string text, List<(int Start, int Length, int TokenId)> segments)
    {
        int plainStart = 0;
        int position = 0;
        while (position < text.Length)
        {
            int candidate = text.AsSpan(position).IndexOfAny(_firstChars);
            if (candidate < 0)
            {
                break;
            }

            position += candidate;
            AddedToken? match = null;
            foreach (AddedToken token in _tokens)
            {
                if (text.AsSpan(position).StartsWith(token.Content, StringComparison.Ordinal)
                    && (!token.SingleWord || IsWordBoundary(text, position, position + token.Content.Length)))
                {
                    match = token;
                    break;
                }
            }

            if (match is null)
            {
                position++;
                continue;
            }

            int start = position, stop = position + match.Content.Length;
            if (match.LStrip)
            {
                while (start > plainStart && IsWhitespaceBefore(text, start, out int width))
                {
                    start -= width;
                }
            }

            if (match.RStrip)
            {
                while (stop < text.Length && Rune.DecodeFromUtf16(text.AsSpan(stop), out Rune rune, out int width) == OperationStatus.Done
                    && BertCharacters.IsWhitespace(rune))
                {
                    stop += width;
                }
            }

            if (start > plainStart)
            {
                segments.Add((plainStart, start - plainStart, -1));
            }

            segments.Add((start, stop - start, match.Id));
            plainStart = position = stop;
        }

        if (plainStart < text.Length)
        {
            segments.Add((plainStart, text.Length - plainStart, -1));
        }
    }

    private static bool IsWhitespaceBefore(string text, int index, out int width) =>
        Rune.DecodeLastFromUtf16(text.AsSpan(0, index), out Rune rune, out width) == OperationStatus.Done && BertCharacters.IsWhitespace(rune);

    private static bool IsWordBoundary(string text, int start, int stop)
    {
        bool before = start == 0 || Rune.DecodeLastFromUtf16(text.AsSpan(0, start), out Rune left, out _) != OperationStatus.Done || !IsWordCharacter(left);
        bool after = stop == text.Length || Rune.DecodeFromUtf16(text.AsSpan(stop), out Rune right, out _) != OperationStatus.Done || !IsWordCharacter(right);
        return before && after;
    }

    // The regex \w of Rust's regex crate: alphanumeric, marks, connector punctuation and joiners.
    private static bool IsWordCharacter(Rune rune) => Rune.IsLetterOrDigit(rune) || rune.Value == '_'
        || Rune.GetUnicodeCategory(rune) is System.Globalization.UnicodeCategory.NonSpacingMark
            or System.Globalization.UnicodeCategory.SpacingCombiningMark or System.Globalization.UnicodeCategory.EnclosingMark
            or System.Globalization.UnicodeCategory.ConnectorPunctuation or System.Globalization.UnicodeCategory.LetterNumber;
}
