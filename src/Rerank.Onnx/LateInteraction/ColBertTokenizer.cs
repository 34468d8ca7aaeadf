using Rerank.Onnx.Tokenization;

namespace Rerank.Onnx.LateInteraction;

/// <summary>
/// Lays out queries and documents as PyLate's <c>ColBERT.tokenize</c> does (and colbert-ai's Query/DocTokenizer):
/// the text truncated to the length less the special tokens and the marker, <c>[CLS] marker text [SEP]</c>, and a
/// query padded with the mask token to the query length (attended to only when the model says so).
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
internal sealed class ColBertTokenizer
{
    // A text is tokenised whole up to this many characters; beyond it only a growing prefix is, so that a huge text
    // costs about what the tokens kept cost. The tokens beyond the cut are then not counted.
    internal const int CountedCharacters = 1 << 16;

    // Tokens of a prefix near its cut may differ from those of the whole text (a word or an added token cut in two),
    // so a prefix is only trusted this many tokens before its end.
    private const int PrefixMargin = 64;

    private readonly IPairTokenizer _tokenizer;
    private readonly HashSet<int> _skiplist;
    private readonly int _first;
    private readonly int _last;

    /// <summary>Initializes a new instance of the <see cref="ColBertTokenizer"/> class.</summary>
    public ColBertTokenizer(IPairTokenizer tokenizer, int? queryPrefixId, int? documentPrefixId, int maskId, IEnumerable<int> skiplist, ColBertSettings settings)
    {
        _tokenizer = tokenizer;
        QueryPrefixId = queryPrefixId;
        DocumentPrefixId = documentPrefixId;
        MaskId = maskId;
        _skiplist = [.. skiplist];
        QueryLength = settings.QueryLength;
        DocumentLength = settings.DocumentLength;
        DoQueryExpansion = settings.DoQueryExpansion;
        AttendToExpansionTokens = settings.AttendToExpansionTokens;

        // The single-sequence template of both families is first + text + last ([CLS] x [SEP], <s> x </s>); the pair
        // encoding of two empty texts shows which ids those are without another tokenizer API.
        int[] empty = tokenizer.EncodePair(string.Empty, string.Empty, tokenizer.SpecialTokensInPair).InputIds;
        _first = empty[0];
        _last = empty[^1];
    }

    public int? QueryPrefixId { get; }

    public int? DocumentPrefixId { get; }

    public int MaskId { get; }

    public int QueryLength { get; }

    public int DocumentLength { get; }

    public bool DoQueryExpansion { get; }

    public bool AttendToExpansionTokens { get; }

    /// <summary>Gets the skiplist's token ids, sorted.</summary>
    public IReadOnlyList<int> Skiplist => [.. _skiplist.Order()];

    /// <summary>Gets the id of the first special token ([CLS], &lt;s&gt;).</summary>
    public int FirstId => _first;

    /// <summary>Gets the id of the last special token ([SEP], &lt;/s&gt;).</summary>
    public int LastId => _last;

    /// <summary>Lays out a query: every position is kept, expansion tokens included.</summary>
    public ColBertEncoding EncodeQuery(string query)
    {
        ColBertEncoding encoding = Layout(query, QueryLength, QueryPrefixId, DoQueryExpansion, AttendToExpansionTokens);
        if (!DoQueryExpansion)
        {
            return encoding;
        }

        bool[] keep = encoding.Keep;
        Array.Fill(keep, true);
        return encoding with { KeptCount = keep.Length };
    }

    /// <summary>Gets the number of the document's own tokens that fit the document length (without special tokens and marker).</summary>
    public int DocumentRoom => DocumentLength - 2 - (DocumentPrefixId is null ? 0 : 1);

    /// <summary>Lays out a document: kept positions are those not in the skiplist.</summary>
    public ColBertEncoding EncodeDocument(string document) => EncodeDocument(document, DocumentLength);

    /// <summary>Lays out a document within <paramref name="length"/> positions.</summary>
    public ColBertEncoding EncodeDocument(string document, int length)
    {
        ColBertEncoding encoding = Layout(document, length, DocumentPrefixId, expand: false, attend: false);
        int kept = 0;
        for (int i = 0; i < encoding.Length; i++)
        {
            bool keep = encoding.AttentionMask[i] != 0 && !_skiplist.Contains(encoding.InputIds[i]);
            encoding.Keep[i] = keep;
            kept += keep ? 1 : 0;
        }

        return encoding with { KeptCount = kept };
    }

    /// <summary>Tokenises at most <paramref name="needed"/> tokens' worth of <paramref name="text"/> and says how many it had.</summary>
    internal int[] EncodeBounded(string text, int needed, out int? total)
    {
        if (text.Length <= CountedCharacters)
        {
            int[] all = _tokenizer.Encode(text);
            total = all.Length;
            return all;
        }

        long window = Math.Max(4096, (long)(needed + PrefixMargin) * 32);
        while (window < text.Length)
        {
            int cut = CutAt(text, (int)window);
            int[] ids = _tokenizer.Encode(text[..cut]);
            if (ids.Length >= needed + PrefixMargin)
            {
                total = null;
                return ids;
            }

            window *= 4;
        }

        int[] whole = _tokenizer.Encode(text);
        total = whole.Length;
        return whole;
    }

    private static int CutAt(string text, int window)
    {
        // Cut at whitespace, where no tokenizer joins across, when there is some in the last quarter of the window.
        int space = text.AsSpan(window - (window / 4), window / 4).LastIndexOfAny(' ', '\n', '\t');
        int cut = space >= 0 ? window - (window / 4) + space : window;
        return char.IsLowSurrogate(text[cut]) ? cut - 1 : cut;
    }

    private ColBertEncoding Layout(string text, int length, int? prefixId, bool expand, bool attend)
    {
        // sentence-transformers' Transformer.tokenize strips every text first.
        string stripped = text.Trim();
        int room = length - 2 - (prefixId is null ? 0 : 1);
        int[] ids = EncodeBounded(stripped, room, out int? total);
        int body = Math.Min(room, ids.Length);
        int used = body + 2 + (prefixId is null ? 0 : 1);
        int size = expand ? length : used;
        var inputIds = new int[size];
        var mask = new int[size];
        int p = 0;
        inputIds[p] = _first;
        mask[p++] = 1;
        if (prefixId is int prefix)
        {
            inputIds[p] = prefix;
            mask[p++] = 1;
        }

        ids.AsSpan(0, body).CopyTo(inputIds.AsSpan(p));
        mask.AsSpan(p, body).Fill(1);
        p += body;
        inputIds[p] = _last;
        mask[p++] = 1;
        for (; p < size; p++)
        {
            inputIds[p] = MaskId;
            mask[p] = attend ? 1 : 0;
        }

        var keep = new bool[size];
        for (int i = 0; i < size; i++)
        {
            keep[i] = mask[i] != 0;
        }

        return new ColBertEncoding(inputIds, mask, keep, used, body, total is int count ? count - body : null);
    }
}
