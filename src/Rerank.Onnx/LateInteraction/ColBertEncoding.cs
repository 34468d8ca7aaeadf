namespace Rerank.Onnx.LateInteraction;

/// <summary>One text laid out for the encoder as PyLate's <c>ColBERT.tokenize</c> lays it out.</summary>
/// <param name="InputIds">[CLS] marker text [SEP], then mask tokens for an expanded query.</param>
/// <param name="AttentionMask">1 where the encoder attends; 0 on expansion tokens unless the model attends to them.</param>
/// <param name="Keep">Whether each position's embedding is kept: every position of a query; on the document side, the attended positions not in the skiplist.</param>
/// <param name="KeptCount">The number of kept positions.</param>
/// <param name="TokensKept">The text's own tokens kept (without special tokens and marker).</param>
/// <param name="TokensDropped">The text's tokens truncation dropped; <see langword="null"/> when the text was too long to count them.</param>
internal readonly record struct ColBertEncoding(int[] InputIds, int[] AttentionMask, bool[] Keep, int KeptCount, int TokensKept, int? TokensDropped)
{
    /// <summary>Gets the number of positions.</summary>
    public int Length => InputIds.Length;
}
