namespace Rerank.Onnx.Tokenization;

/// <summary>
/// The Hugging Face fast <c>XLMRobertaTokenizer</c> (bge-reranker, multilingual cross-encoders): a sentencepiece
/// unigram model with fairseq ids and the pair template <c>&lt;s&gt; q &lt;/s&gt;&lt;/s&gt; d &lt;/s&gt;</c>, token types all 0.
/// </summary>
/// <remarks>
/// Microsoft.ML.Tokenizers can read sentencepiece unigram models, but it cannot read a tokenizer.json unigram model,
/// does not apply Hugging Face's grapheme-wise <c>Precompiled</c> rules or <c>Metaspace</c> splitting, and knows
/// nothing of the fairseq id shift; the Viterbi search is a few dozen lines, so both sources share the one here.
/// </remarks>
internal sealed class XlmRobertaTokenizer : PairTokenizer
{
    private readonly UnigramTextPipeline _pipeline;
    private readonly UnigramModel _model;
    private readonly int _bosId;
    private readonly int _eosId;

    /// <summary>Initializes a new instance of the <see cref="XlmRobertaTokenizer"/> class.</summary>
    /// <param name="pipeline">Normalisation and pre-tokenisation.</param>
    /// <param name="model">The unigram model, producing final (fairseq) ids.</param>
    /// <param name="bosId">The id of &lt;s&gt;.</param>
    /// <param name="eosId">The id of &lt;/s&gt;.</param>
    /// <param name="padId">The id of &lt;pad&gt;.</param>
    /// <param name="addedTokens">The special tokens recognised in raw text.</param>
    public XlmRobertaTokenizer(UnigramTextPipeline pipeline, UnigramModel model, int bosId, int eosId, int padId, AddedTokenSplitter? addedTokens)
        : base(addedTokens)
    {
        _pipeline = pipeline;
        _model = model;
        _bosId = bosId;
        _eosId = eosId;
        PadTokenId = padId;
    }

    /// <inheritdoc />
    public override string Kind => "xlm-roberta-unigram";

    /// <inheritdoc />
    public override int PadTokenId { get; }

    /// <inheritdoc />
    public override int SpecialTokensInPair => 4;

    /// <inheritdoc />
    /// <remarks>
    /// When the pipeline starts a segment at every space and, for sentencepiece's single segment, no piece of the model
    /// crosses a space, the Viterbi search of each word is independent of the words after it.
    /// </remarks>
    protected override bool PrefixStableAtSpaces =>
        _pipeline.SplitsAtSpaces && (_pipeline is HuggingFaceTextPipeline || !_model.HasPieceSpanningSpace);

    /// <inheritdoc />
    protected override void EncodeText(string text, bool atStart, List<int> ids)
    {
        var segments = new List<string>();
        _pipeline.Segment(text, atStart, segments);
        foreach (string segment in segments)
        {
            _model.Encode(segment, ids);
        }
    }

    /// <inheritdoc />
    protected override PairEncoding Assemble(ReadOnlySpan<int> query, ReadOnlySpan<int> document, int queryDropped, int documentDropped)
    {
        int length = query.Length + document.Length + 4;
        var inputIds = new int[length];
        inputIds[0] = _bosId;
        query.CopyTo(inputIds.AsSpan(1));
        inputIds[query.Length + 1] = _eosId;
        inputIds[query.Length + 2] = _eosId;
        document.CopyTo(inputIds.AsSpan(query.Length + 3));
        inputIds[length - 1] = _eosId;
        return new PairEncoding(inputIds, new int[length], queryDropped, documentDropped);
    }
}
