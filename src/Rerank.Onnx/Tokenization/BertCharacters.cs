using System.Globalization;
using System.Text;

namespace Rerank.Onnx.Tokenization;

/// <summary>The character classes of Hugging Face's BERT normaliser and pre-tokeniser.</summary>
internal static class BertCharacters
{
    /// <summary>
    /// Rust's <c>char::is_whitespace</c> (the Unicode White_Space property), which the normaliser uses after
    /// control characters are gone and the pre-tokeniser splits on.
    /// </summary>
    /// <param name="rune">The character.</param>
    /// <returns>Whether it is whitespace.</returns>
    public static bool IsWhitespace(Rune rune) => rune.Value switch
    {
        >= 0x09 and <= 0x0D or 0x20 or 0x85 or 0xA0 or 0x1680 or (>= 0x2000 and <= 0x200A) or 0x2028 or 0x2029
            or 0x202F or 0x205F or 0x3000 => true,
        _ => false,
    };

    /// <summary>
    /// The normaliser's <c>is_control</c>: tab, newline and carriage return are whitespace; otherwise the general
    /// categories Cc, Cf, Co and Cs (unassigned code points are kept, as in the unicode_categories crate, whose Cn
    /// table is empty).
    /// </summary>
    /// <param name="rune">The character.</param>
    /// <returns>Whether the normaliser drops it.</returns>
    public static bool IsControl(Rune rune)
    {
        if (rune.Value is '\t' or '\n' or '\r')
        {
            return false;
        }

        return Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format
            or UnicodeCategory.PrivateUse or UnicodeCategory.Surrogate;
    }

    /// <summary>
    /// The pre-tokeniser's punctuation: every non-alphanumeric printable ASCII character (so <c>$ + = ^ ` ~ &lt; &gt; |</c>
    /// too, which Unicode calls symbols) and every Unicode punctuation category (Pc Pd Ps Pe Pi Pf Po).
    /// </summary>
    /// <param name="rune">The character.</param>
    /// <returns>Whether it becomes a token of its own.</returns>
    public static bool IsPunctuation(Rune rune)
    {
        int cp = rune.Value;
        if (cp < 0x80)
        {
            return cp is (>= 0x21 and <= 0x2F) or (>= 0x3A and <= 0x40) or (>= 0x5B and <= 0x60) or (>= 0x7B and <= 0x7E);
        }

        return Rune.GetUnicodeCategory(rune) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation
            or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation
            or UnicodeCategory.OtherPunctuation;
    }

    /// <summary>The CJK ideograph blocks of tokenizers' <c>is_chinese_char</c>.</summary>
    /// <param name="cp">The code point.</param>
    /// <returns>Whether it is isolated as a word of its own.</returns>
    public static bool IsChineseChar(int cp) => cp is (>= 0x4E00 and <= 0x9FFF) or (>= 0x3400 and <= 0x4DBF)
        or (>= 0x20000 and <= 0x2A6DF) or (>= 0x2A700 and <= 0x2B73F) or (>= 0x2B740 and <= 0x2B81F)
        or (>= 0x2B920 and <= 0x2CEAF) or (>= 0xF900 and <= 0xFAFF) or (>= 0x2F800 and <= 0x2FA1F);
}
