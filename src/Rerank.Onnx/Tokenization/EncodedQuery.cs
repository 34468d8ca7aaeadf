namespace Rerank.Onnx.Tokenization;

/// <summary>A query tokenised once per call, with <see cref="IPairTokenizer.Encode"/>, for every pair of the call.</summary>
/// <param name="Text">The query.</param>
/// <param name="Ids">Its ids, without special tokens and without truncation.</param>
internal readonly record struct EncodedQuery(string Text, int[] Ids);
