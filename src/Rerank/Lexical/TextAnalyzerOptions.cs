namespace Rerank;

/// <summary>Settings of a <see cref="TextAnalyzer"/>.</summary>
public sealed class TextAnalyzerOptions
{
    /// <summary>Gets or sets a value indicating whether tokens are lower-cased with the invariant culture.</summary>
    /// <value><see langword="true"/> by default.</value>
    public bool LowerCase { get; set; } = true;

    /// <summary>Gets or sets words that are dropped after lower-casing, such as <see cref="Rerank.StopWords.English"/>.</summary>
    /// <value>
    /// <see langword="null"/> (the default) keeps every token. When <see cref="LowerCase"/> is on, the words are
    /// lower-cased too, so <c>The</c> in the list matches <c>the</c> in the text.
    /// </value>
    public IEnumerable<string>? StopWords { get; set; }

    /// <summary>Gets or sets how runs of Chinese and Japanese characters are split.</summary>
    /// <value><see cref="Rerank.CjkTokenization.Bigrams"/> by default.</value>
    public CjkTokenization CjkTokenization { get; set; } = CjkTokenization.Bigrams;

    /// <summary>Gets or sets a tokenizer that replaces the built-in Unicode word splitting.</summary>
    /// <value>
    /// <see langword="null"/> (the default) uses the built-in splitting. The tokens it returns are still lower-cased
    /// and filtered for <see cref="StopWords"/> as configured; <see langword="null"/> or empty tokens are skipped. It
    /// is called concurrently when the analyser is shared, so it must be thread-safe.
    /// </value>
    public Func<string, IEnumerable<string>>? Tokenizer { get; set; }
}
