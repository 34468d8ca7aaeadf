namespace Rerank;

/// <summary>How <see cref="TextAnalyzer"/> splits Chinese and Japanese text, which is written without spaces between words.</summary>
/// <remarks>
/// CJK characters are Han ideographs, Hiragana and Katakana. Hangul is written with spaces between words and is split
/// like any other letters.
/// </remarks>
public enum CjkTokenization
{
    /// <summary>
    /// Overlapping pairs of adjacent CJK characters (<c>东京大学</c> → <c>东京</c>, <c>京大</c>, <c>大学</c>); a CJK character
    /// with no CJK neighbour is a token on its own. Matches words more precisely than single characters; the default.
    /// </summary>
    Bigrams = 0,

    /// <summary>Every CJK character is a token on its own (<c>东京</c> → <c>东</c>, <c>京</c>), as Lucene's standard tokenizer does.</summary>
    Unigrams = 1,
}
