namespace Rerank.Onnx.Tokenization;

/// <summary>
/// The part of <see cref="IPairTokenizer"/> both families share: encode each side, truncate with longest_first, then
/// lay out the special tokens as the family does.
/// </summary>
internal abstract class PairTokenizer : IPairTokenizer
{
    /// <inheritdoc />
    public abstract string Kind { get; }

    /// <inheritdoc />
    public abstract int PadTokenId { get; }

    /// <inheritdoc />
    public abstract int SpecialTokensInPair { get; }

    /// <inheritdoc />
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(Math.Min(text.Length, 4096) / 3 + 4);
        EncodeInto(text, ids);
        return [.. ids];
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="query"/> or <paramref name="document"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLength"/> is smaller than <see cref="SpecialTokensInPair"/>.</exception>
    public PairEncoding EncodePair(string query, string document, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(document);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, SpecialTokensInPair);

        int[] queryIds = Encode(query);
        int[] documentIds = Encode(document);
        (int keepQuery, int keepDocument) = PairTruncation.LongestFirst(
            queryIds.Length, documentIds.Length, maxLength - SpecialTokensInPair);
        return Assemble(queryIds.AsSpan(0, keepQuery), documentIds.AsSpan(0, keepDocument),
            queryIds.Length - keepQuery, documentIds.Length - keepDocument);
    }

    /// <summary>Appends the ids of <paramref name="text"/>, without special tokens, to <paramref name="ids"/>.</summary>
    /// <param name="text">The text to tokenise.</param>
    /// <param name="ids">Receives the ids.</param>
    protected abstract void EncodeInto(string text, List<int> ids);

    /// <summary>Lays out the truncated sides with the family's special tokens.</summary>
    /// <param name="query">The query ids that were kept.</param>
    /// <param name="document">The document ids that were kept.</param>
    /// <param name="queryDropped">How many query tokens truncation removed.</param>
    /// <param name="documentDropped">How many document tokens truncation removed.</param>
    /// <returns>The pair encoding.</returns>
    protected abstract PairEncoding Assemble(ReadOnlySpan<int> query, ReadOnlySpan<int> document, int queryDropped, int documentDropped);
}
