namespace Rerank.Onnx.Tokenization;

/// <summary>
/// Turns a (query, document) pair into the model's input ids exactly as the Hugging Face fast tokenizer does with
/// <c>truncation="longest_first"</c>: special tokens added, token type ids where the model family has them.
/// </summary>
/// <remarks>Implementations are immutable after construction and safe to call from many threads at once.</remarks>
internal interface IPairTokenizer
{
    /// <summary>Gets the tokenizer family, for diagnostics (e.g. "bert-wordpiece", "xlm-roberta-unigram").</summary>
    string Kind { get; }

    /// <summary>Gets the id of the padding token.</summary>
    int PadTokenId { get; }

    /// <summary>Gets the number of special tokens a pair encoding adds (3 for BERT, 4 for XLM-R).</summary>
    int SpecialTokensInPair { get; }

    /// <summary>Tokenises <paramref name="text"/> into ids without special tokens and without truncation.</summary>
    int[] Encode(string text);

    /// <summary>
    /// Encodes a pair, truncated with longest_first so that the result, special tokens included, has at most
    /// <paramref name="maxLength"/> tokens.
    /// </summary>
    PairEncoding EncodePair(string query, string document, int maxLength);

    /// <summary>Tokenises the query of a call once, for <see cref="EncodePair(EncodedQuery, string, int)"/>.</summary>
    EncodedQuery EncodeQuery(string query) => new(query, Encode(query));

    /// <summary>
    /// Encodes a pair from a query tokenised once for the whole call; the ids are those of
    /// <see cref="EncodePair(string, string, int)"/>. An implementation may tokenise only the start of a long document,
    /// the part longest_first can keep; it then says so in <see cref="PairEncoding.DocumentCutBeforeTokenization"/>.
    /// </summary>
    PairEncoding EncodePair(EncodedQuery query, string document, int maxLength) => EncodePair(query.Text, document, maxLength);
}
