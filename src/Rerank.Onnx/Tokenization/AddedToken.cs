namespace Rerank.Onnx.Tokenization;

/// <summary>A token of a tokenizer's added vocabulary, matched in the raw text before normalisation.</summary>
/// <param name="Content">The token's text, e.g. <c>[SEP]</c>.</param>
/// <param name="Id">Its id.</param>
/// <param name="LStrip">Whether it swallows the whitespace on its left.</param>
/// <param name="RStrip">Whether it swallows the whitespace on its right.</param>
/// <param name="SingleWord">Whether it is matched only as a whole word.</param>
internal sealed record AddedToken(string Content, int Id, bool LStrip = false, bool RStrip = false, bool SingleWord = false);
