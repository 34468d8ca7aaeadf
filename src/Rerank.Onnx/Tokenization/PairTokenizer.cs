namespace Rerank.Onnx.Tokenization;

/// <summary>
/// The part of <see cref="IPairTokenizer"/> both families share: encode each side, truncate with longest_first, then
/// lay out the special tokens as the family does.
/// </summary>
internal abstract class PairTokenizer : IPairTokenizer
{
    private readonly AddedTokenSplitter? _addedTokens;

    /// <summary>Initializes a new instance of the <see cref="PairTokenizer"/> class.</summary>
    /// <param name="addedTokens">The added (special) tokens recognised in raw text, or <see langword="null"/> for none.</param>
    protected PairTokenizer(AddedTokenSplitter? addedTokens)
    {
        _addedTokens = addedTokens is { IsEmpty: false } ? addedTokens : null;
    }

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
        if (_addedTokens is null)
        {
            EncodeText(text, atStart: true, ids);
            return [.. ids];
        }

        var segments = new List<(int Start, int Length, int TokenId)>();
        _addedTokens.Split(text, segments);
        foreach ((int start, int length, int tokenId) in segments)
        {
            if (tokenId >= 0)
            {
                ids.Add(tokenId);
            }
            else
            {
                EncodeText(length == text.Length ? text : text.Substring(start, length), start == 0, ids);
            }
        }

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

    /// <summary>Appends the ids of <paramref name="text"/>, which holds no added token, to <paramref name="ids"/>.</summary>
    /// <param name="text">The text to tokenise: the whole input, or a part of it between added tokens.</param>
    /// <param name="atStart">Whether <paramref name="text"/> begins at the start of the input.</param>
    /// <param name="ids">Receives the ids.</param>
    protected abstract void EncodeText(string text, bool atStart, List<int> ids);

    /// <summary>Lays out the truncated sides with the family's special tokens.</summary>
    /// <param name="query">The query ids that were kept.</param>
    /// <param name="document">The document ids that were kept.</param>
    /// <param name="queryDropped">How many query tokens truncation removed.</param>
    /// <param name="documentDropped">How many document tokens truncation removed.</param>
    /// <returns>The pair encoding.</returns>
    protected abstract PairEncoding Assemble(ReadOnlySpan<int> query, ReadOnlySpan<int> document, int queryDropped, int documentDropped);
}
