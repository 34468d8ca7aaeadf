using System.Globalization;
using System.Text;

namespace Rerank.Onnx.Tokenization;

/// <summary>
/// Hugging Face tokenizers' <c>BertNormalizer</c> (normalizers/bert.rs), step for step: clean text, isolate CJK
/// ideographs, strip accents, lowercase, in that order.
/// </summary>
/// <param name="CleanText">Drop NUL, U+FFFD and control/format/private-use characters; map whitespace to a space.</param>
/// <param name="HandleChineseChars">Put spaces around CJK ideographs so each becomes a word.</param>
/// <param name="StripAccents">Decompose (NFD) and drop nonspacing marks.</param>
/// <param name="Lowercase">Lowercase every character (full mapping, as Rust's <c>char::to_lowercase</c>).</param>
internal sealed record BertNormalizer(bool CleanText, bool HandleChineseChars, bool StripAccents, bool Lowercase)
{
    /// <summary>Normalises <paramref name="text"/>.</summary>
    /// <param name="text">The raw text; lone surrogates are treated as U+FFFD.</param>
    /// <returns>The normalised text.</returns>
    public string Normalize(string text)
    {
        var output = new StringBuilder(text.Length + 16);
        Span<int> decomposed = stackalloc int[CanonicalDecomposition.MaxLength];
        foreach (Rune original in text.EnumerateRunes())
        {
            Rune rune = original;
            if (rune.IsAscii)
            {
                // ASCII has no decomposition, no marks and no CJK: only cleaning and case apply.
                char c = (char)rune.Value;
                if (CleanText)
                {
                    if (c is '\t' or '\n' or '\r')
                    {
                        c = ' ';
                    }
                    else if (c < ' ' || c == '\x7F')
                    {
                        continue;
                    }
                }

                output.Append(Lowercase && c is >= 'A' and <= 'Z' ? (char)(c + 32) : c);
                continue;
            }

            if (CleanText)
            {
                if (rune.Value == 0xFFFD || BertCharacters.IsControl(rune))
                {
                    continue;
                }

                if (BertCharacters.IsWhitespace(rune))
                {
                    rune = new Rune(' ');
                }
            }

            bool chinese = HandleChineseChars && BertCharacters.IsChineseChar(rune.Value);
            if (chinese)
            {
                output.Append(' ');
            }

            if (StripAccents)
            {
                int count = CanonicalDecomposition.Decompose(rune, decomposed);
                for (int i = 0; i < count; i++)
                {
                    var part = new Rune(decomposed[i]);
                    if (Rune.GetUnicodeCategory(part) != UnicodeCategory.NonSpacingMark)
                    {
                        AppendCased(part, output);
                    }
                }
            }
            else
            {
                AppendCased(rune, output);
            }

            if (chinese)
            {
                output.Append(' ');
            }
        }

        return output.ToString();
    }

    private void AppendCased(Rune rune, StringBuilder output)
    {
        if (!Lowercase)
        {
            output.Append(rune);
        }
        else if (rune.Value == 0x130)
        {
            // Rust's to_lowercase applies SpecialCasing's unconditional İ -> i + U+0307; .NET's invariant casing
            // leaves İ alone.
            output.Append("i\u0307");
        }
        else
        {
            output.Append(Rune.ToLowerInvariant(rune));
        }
    }
}
