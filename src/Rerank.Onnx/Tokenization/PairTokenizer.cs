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

    /// <summary>
    /// Gets a value indicating whether the family's text handling, between added tokens, tokenises the text before a
    /// space that follows an ASCII character other than whitespace to a prefix of the ids of the whole text; with added
    /// tokens free of whitespace, <see cref="EncodeAtLeast"/> may then cut there.
    /// </summary>
    protected abstract bool PrefixStableAtSpaces { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="query"/> or <paramref name="document"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLength"/> is smaller than <see cref="SpecialTokensInPair"/>.</exception>
    /// <remarks>The reference path: both sides are tokenised whole, so the counts of dropped tokens are exact.</remarks>
    public PairEncoding EncodePair(string query, string document, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(query);
        return EncodePair(new EncodedQuery(query, Encode(query)), document, maxLength, int.MaxValue);
    }

    /// <inheritdoc />
    /// <remarks>
    /// A document of more than <see cref="MinimumCharactersBeforeCut"/> characters may be tokenised only in part (see
    /// <see cref="EncodeAtLeast"/>); its ids are still exactly those of <see cref="EncodePair(string, string, int)"/>.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="document"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLength"/> is smaller than <see cref="SpecialTokensInPair"/>.</exception>
    public PairEncoding EncodePair(EncodedQuery query, string document, int maxLength) =>
        EncodePair(query, document, maxLength, MinimumCharactersBeforeCut);

    /// <summary>Encodes a pair, tokenising only a start of a document longer than <paramref name="minimumCharactersBeforeCut"/> characters; tests lower the floor to exercise the cut on short texts.</summary>
    internal PairEncoding EncodePair(EncodedQuery query, string document, int maxLength, int minimumCharactersBeforeCut)
    {
        ArgumentNullException.ThrowIfNull(query.Ids);
        ArgumentNullException.ThrowIfNull(document);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, SpecialTokensInPair);

        // longest_first keeps the same tokens of every document longer than both the budget and the query (see
        // PairTruncation): beyond that many tokens, the rest of the document cannot change the pair.
        int budget = maxLength - SpecialTokensInPair;
        int[] queryIds = query.Ids;
        int enough = (int)Math.Min(int.MaxValue, Math.Max((long)budget, queryIds.Length) + 1);
        int[] documentIds = EncodeAtLeast(document, enough, minimumCharactersBeforeCut, out bool cut);
        (int keepQuery, int keepDocument) = PairTruncation.LongestFirst(queryIds.Length, documentIds.Length, budget);
        PairEncoding encoding = Assemble(queryIds.AsSpan(0, keepQuery), documentIds.AsSpan(0, keepDocument),
            queryIds.Length - keepQuery, documentIds.Length - keepDocument);
        return cut ? encoding with { DocumentCutBeforeTokenization = true } : encoding;
    }

    /// <summary>
    /// Tokenises <paramref name="text"/>, or only a start of it that gives at least <paramref name="minTokens"/> ids,
    /// which are then the first ids of the whole text: the cut is made before a space, where the family's tokenisation
    /// is known to restart (<see cref="PrefixStableAtSpaces"/>). The first cut is at
    /// <see cref="CharactersPerTokenAtCut"/> characters per wanted token, and grows fourfold while it gives too few ids,
    /// so a 1 MB document costs a few kilobytes of tokenisation and text that tokenises densely at most about four times the
    /// work of the part it needs; text without a usable space near any limit is tokenised whole.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="minTokens">The ids wanted.</param>
    /// <param name="minimumCharactersBeforeCut">Text up to this length is always tokenised whole, so that its counts stay exact.</param>
    /// <param name="cut">Set to whether only a start of the text was tokenised.</param>
    /// <returns>The ids.</returns>
    internal int[] EncodeAtLeast(string text, int minTokens, int minimumCharactersBeforeCut, out bool cut)
    {
        cut = false;
        long limit = Math.Max((long)minTokens * CharactersPerTokenAtCut, minimumCharactersBeforeCut);
        if (text.Length <= minimumCharactersBeforeCut || !PrefixStableAtSpaces || _addedTokens is { HasTokenWithWhitespace: true })
        {
            return Encode(text);
        }

        while (limit < text.Length)
        {
            int at = CutBefore(text, (int)limit);
            if (at < 0)
            {
                // No space to cut at near the limit: look again further on, up to the whole text.
                limit *= 4;
                continue;
            }

            int[] ids = Encode(text[..at]);
            if (ids.Length >= minTokens)
            {
                cut = true;
                return ids;
            }

            limit *= 4;
        }

        return Encode(text);
    }

    /// <summary>
    /// The characters per wanted token of the first cut: English averages about four characters per WordPiece or
    /// sentencepiece token, so eight leaves room for dense text (numbers, code) without tokenising much that is thrown away.
    /// </summary>
    internal const int CharactersPerTokenAtCut = 8;

    /// <summary>
    /// Documents up to this many characters (about 4,000 tokens of English) are tokenised whole, so that their truncation
    /// counts stay exact; the cut saves work only where it matters, on documents many times the model's maximum length.
    /// </summary>
    internal const int MinimumCharactersBeforeCut = 16_384;

    /// <summary>Finds a position at most <paramref name="limit"/> (or, failing that, up to twice as far) holding a space after an ASCII character other than whitespace; -1 if none.</summary>
    private static int CutBefore(string text, int limit)
    {
        static bool IsCut(string text, int at) => text[at] == ' ' && text[at - 1] is > ' ' and < '\x7F';

        for (int at = Math.Min(limit, text.Length - 1); at > limit / 2; at--)
        {
            if (IsCut(text, at))
            {
                return at;
            }
        }

        for (int at = limit + 1, end = (int)Math.Min(text.Length, 2L * limit); at < end; at++)
        {
            if (IsCut(text, at))
            {
                return at;
            }
        }

        return -1;
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
