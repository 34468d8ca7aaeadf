using Rerank.Onnx.Tokenization;

namespace Rerank.Onnx.Embeddings;

/// <summary>
/// Encodes one text as a single sequence (<c>[CLS] text [SEP]</c>, <c>&lt;s&gt; text &lt;/s&gt;</c>) truncated at the end,
/// as the Hugging Face tokenizer does for sentence-transformers, without tokenising more of a huge text than the
/// budget can use.
/// </summary>
internal sealed class SingleTextEncoder
{
    /// <summary>The special tokens of a single sequence: one before the text, one after.</summary>
    public const int SpecialTokens = 2;

    private readonly IPairTokenizer _tokenizer;
    private readonly int _first;
    private readonly int _last;

    /// <summary>Initializes a new instance of the <see cref="SingleTextEncoder"/> class.</summary>
    /// <param name="tokenizer">The model's tokenizer.</param>
    public SingleTextEncoder(IPairTokenizer tokenizer)
    {
        _tokenizer = tokenizer;

        // Both families' single template is the pair template's first token, the text and its last token, so the ids
        // come from an empty pair rather than from a second table of special tokens.
        PairEncoding empty = tokenizer.EncodePair(string.Empty, string.Empty, tokenizer.SpecialTokensInPair);
        _first = empty.InputIds[0];
        _last = empty.InputIds[^1];
    }

    /// <summary>Gets the padding id.</summary>
    public int PadTokenId => _tokenizer.PadTokenId;

    /// <summary>Gets the tokenizer family, for diagnostics.</summary>
    public string Kind => _tokenizer.Kind;

    /// <summary>Counts the tokens of <paramref name="text"/> without special tokens and without truncation.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The number of tokens.</returns>
    public int CountTokens(string text) => _tokenizer.Encode(text).Length;

    /// <summary>Encodes <paramref name="text"/> with special tokens, keeping at most <paramref name="maxLength"/> tokens.</summary>
    /// <param name="text">The text, prompt included.</param>
    /// <param name="maxLength">The most tokens, special tokens included; at least <see cref="SpecialTokens"/>.</param>
    /// <param name="truncated">Whether tokens were dropped.</param>
    /// <returns>The encoding; its token types are all 0.</returns>
    public PairEncoding Encode(string text, int maxLength, out bool truncated)
    {
        int budget = maxLength - SpecialTokens;
        int[] content = EncodeBounded(text, budget, out truncated);
        var ids = new int[content.Length + SpecialTokens];
        ids[0] = _first;
        content.CopyTo(ids, 1);
        ids[^1] = _last;
        return new PairEncoding(ids, new int[ids.Length], 0, truncated ? 1 : 0);
    }

    /// <summary>
    /// Tokenises growing prefixes of <paramref name="text"/>, each ending before a space, until one yields
    /// more than <paramref name="budget"/> tokens; the whole text only when none does.
    /// </summary>
    /// <remarks>
    /// Both tokenizer families split words at whitespace and never merge across it, so the tokens of a prefix that ends at
    /// a space are the first tokens of the whole text: the result is the full tokenisation's, truncated, at a cost
    /// bounded by the budget rather than by the text (a 1 MB text costs a few thousand characters).
    /// </remarks>
    private int[] EncodeBounded(string text, int budget, out bool truncated)
    {
        long window = Math.Max(1024, budget * 8L);
        while (window < text.Length)
        {
            int cut = WhitespaceBefore(text, (int)window);
            if (cut > 0)
            {
                int[] prefix = _tokenizer.Encode(text[..cut]);
                if (prefix.Length > budget)
                {
                    truncated = true;
                    return prefix[..budget];
                }
            }

            window *= 4;
        }

        int[] ids = _tokenizer.Encode(text);
        truncated = ids.Length > budget;
        return truncated ? ids[..budget] : ids;
    }

    /// <summary>Finds the last space at or before <paramref name="end"/>, looking back at most half of it.</summary>
    /// <remarks>
    /// Only U+0020: it separates words in every normaliser, whereas some characters .NET calls white space are control
    /// characters that BERT's normaliser deletes (U+000B, U+000C), joining the words around them.
    /// </remarks>
    private static int WhitespaceBefore(string text, int end)
    {
        int stop = end / 2;
        for (int i = end; i > stop; i--)
        {
            if (text[i] == ' ')
            {
                return i;
            }
        }

        return -1;
    }
}
