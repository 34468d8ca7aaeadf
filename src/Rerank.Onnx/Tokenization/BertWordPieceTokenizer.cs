using System.Text;

namespace Rerank.Onnx.Tokenization;

/// <summary>
/// The Hugging Face fast <c>BertTokenizer</c> (MiniLM, TinyBERT, ELECTRA, BERT cross-encoders): BertNormalizer,
/// BertPreTokenizer, WordPiece, and the pair template <c>[CLS] q [SEP] d [SEP]</c> with token types 0 then 1.
/// </summary>
/// <remarks>
/// Microsoft.ML.Tokenizers' BertTokenizer is not used: it glues words across newlines (dotnet/machinelearning#7724),
/// drops ASCII symbols such as <c>$ + =</c> that Hugging Face isolates as punctuation (#7725) and, under invariant
/// globalization, turns accented letters into [UNK] because <see cref="string.Normalize()"/> does nothing there (#7728).
/// Correcting it would mean replacing its normaliser and pre-tokeniser, which leaves only the WordPiece loop; that
/// loop is a few lines here, and owning it keeps every step aligned with tokenizers' Rust code, allocation-free per
/// word (span lookups) and free of the library's own special-token handling.
/// </remarks>
internal sealed class BertWordPieceTokenizer : PairTokenizer
{
    private readonly BertNormalizer _normalizer;
    private readonly WordPieceModel _model;
    private readonly int _clsId;
    private readonly int _sepId;

    /// <summary>Initializes a new instance of the <see cref="BertWordPieceTokenizer"/> class.</summary>
    /// <param name="normalizer">The normaliser settings.</param>
    /// <param name="model">The WordPiece model.</param>
    /// <param name="clsId">The id of [CLS].</param>
    /// <param name="sepId">The id of [SEP].</param>
    /// <param name="padId">The id of [PAD].</param>
    /// <param name="addedTokens">The special tokens recognised in raw text.</param>
    public BertWordPieceTokenizer(BertNormalizer normalizer, WordPieceModel model, int clsId, int sepId, int padId, AddedTokenSplitter? addedTokens)
        : base(addedTokens)
    {
        _normalizer = normalizer;
        _model = model;
        _clsId = clsId;
        _sepId = sepId;
        PadTokenId = padId;
    }

    /// <inheritdoc />
    public override string Kind => "bert-wordpiece";

    /// <inheritdoc />
    public override int PadTokenId { get; }

    /// <inheritdoc />
    public override int SpecialTokensInPair => 3;

    /// <inheritdoc />
    /// <remarks>The normaliser works character by character and whitespace ends a word, so the words before a space are the words of the whole text.</remarks>
    protected override bool PrefixStableAtSpaces => true;

    /// <summary>Gets the normaliser settings in use.</summary>
    public BertNormalizer Normalizer => _normalizer;

    /// <inheritdoc />
    protected override void EncodeText(string text, bool atStart, List<int> ids)
    {
        string normalized = _normalizer.Normalize(text);
        ReadOnlySpan<char> span = normalized;

        // BertPreTokenizer: whitespace separates words and is dropped; each punctuation character is a word of its own.
        int wordStart = 0;
        int position = 0;
        while (position < span.Length)
        {
            Rune.DecodeFromUtf16(span[position..], out Rune rune, out int width);
            bool whitespace = BertCharacters.IsWhitespace(rune);
            if (whitespace || BertCharacters.IsPunctuation(rune))
            {
                if (position > wordStart)
                {
                    _model.EncodeWord(span[wordStart..position], ids);
                }

                if (!whitespace)
                {
                    _model.EncodeWord(span.Slice(position, width), ids);
                }

                wordStart = position + width;
            }

            position += width;
        }

        if (position > wordStart)
        {
            _model.EncodeWord(span[wordStart..position], ids);
        }
    }

    /// <inheritdoc />
    protected override PairEncoding Assemble(ReadOnlySpan<int> query, ReadOnlySpan<int> document, int queryDropped, int documentDropped)
    {
        int length = query.Length + document.Length + 3;
        var inputIds = new int[length];
        var typeIds = new int[length];
        inputIds[0] = _clsId;
        query.CopyTo(inputIds.AsSpan(1));
        inputIds[query.Length + 1] = _sepId;
        document.CopyTo(inputIds.AsSpan(query.Length + 2));
        inputIds[length - 1] = _sepId;
        typeIds.AsSpan(query.Length + 2).Fill(1);
        return new PairEncoding(inputIds, typeIds, queryDropped, documentDropped);
    }
}
