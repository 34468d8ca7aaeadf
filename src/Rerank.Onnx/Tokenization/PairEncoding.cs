namespace Rerank.Onnx.Tokenization;

/// <summary>A tokenised (query, document) pair, ready to be placed in a batch.</summary>
/// <param name="InputIds">The ids, special tokens included.</param>
/// <param name="TokenTypeIds">0 for the query segment, 1 for the document segment (BERT); all 0 for XLM-R.</param>
/// <param name="QueryTokensDropped">Tokens of the query removed by truncation.</param>
/// <param name="DocumentTokensDropped">Tokens of the document removed by truncation; at least that many when <paramref name="DocumentCutBeforeTokenization"/>.</param>
/// <param name="DocumentCutBeforeTokenization">Only the start of the document was tokenised, since the rest could not be kept.</param>
internal readonly record struct PairEncoding(int[] InputIds, int[] TokenTypeIds, int QueryTokensDropped, int DocumentTokensDropped, bool DocumentCutBeforeTokenization = false)
{
    /// <summary>Gets the number of tokens, special tokens included.</summary>
    public int Length => InputIds.Length;
}
