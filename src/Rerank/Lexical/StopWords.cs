using System.Collections.Frozen;

namespace Rerank;

/// <summary>Stop-word lists for <see cref="TextAnalyzerOptions.StopWords"/>.</summary>
public static class StopWords
{
    /// <summary>
    /// Gets the 33 English stop words of Lucene's <c>EnglishAnalyzer</c> (<c>a</c>, <c>an</c>, <c>and</c>, <c>are</c>,
    /// <c>as</c>, <c>at</c>, <c>be</c>, <c>but</c>, <c>by</c>, <c>for</c>, <c>if</c>, <c>in</c>, <c>into</c>, <c>is</c>,
    /// <c>it</c>, <c>no</c>, <c>not</c>, <c>of</c>, <c>on</c>, <c>or</c>, <c>such</c>, <c>that</c>, <c>the</c>,
    /// <c>their</c>, <c>then</c>, <c>there</c>, <c>these</c>, <c>they</c>, <c>this</c>, <c>to</c>, <c>was</c>,
    /// <c>will</c>, <c>with</c>), lower-case.
    /// </summary>
    /// <remarks>
    /// A short list on purpose: BM25's idf already discounts common words, and a long list removes words that matter
    /// in queries ("who", "how", "not found").
    /// </remarks>
    public static IReadOnlySet<string> English { get; } = FrozenSet.Create(
        StringComparer.Ordinal,
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no", "not", "of",
        "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this", "to", "was", "will", "with");
}
