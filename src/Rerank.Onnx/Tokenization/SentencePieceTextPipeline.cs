namespace Rerank.Onnx.Tokenization;

/// <summary>
/// The text handling of sentencepiece itself (and so of the slow XLMRobertaTokenizer): the model's normalizer spec
/// applied to the whole text, which then forms one segment (the model's pieces never span a ▁ in their middle).
/// </summary>
/// <param name="CharsMap">The normalisation rules, or <see langword="null"/> for none.</param>
/// <param name="AddDummyPrefix">Prepend ▁.</param>
/// <param name="RemoveExtraWhitespaces">Drop leading, trailing and repeated spaces.</param>
/// <param name="EscapeWhitespaces">Write spaces as ▁.</param>
internal sealed class SentencePieceTextPipeline(PrecompiledCharsMap? CharsMap, bool AddDummyPrefix, bool RemoveExtraWhitespaces, bool EscapeWhitespaces)
    : UnigramTextPipeline
{
    /// <inheritdoc />
    /// <remarks>
    /// One segment, but its spaces are written as ▁ and the normaliser works character by character (whitespace runs
    /// are squeezed only after the cut): with a model whose pieces hold ▁ only at their start, every ▁ is a piece
    /// boundary, which <see cref="XlmRobertaTokenizer"/> checks on the model.
    /// </remarks>
    public override bool SplitsAtSpaces => EscapeWhitespaces;

    /// <inheritdoc />
    public override void Segment(string text, bool atStart, List<string> segments)
    {
        string normalized = PrecompiledCharsMap.NormalizeLikeSentencePiece(CharsMap, text, AddDummyPrefix, RemoveExtraWhitespaces, EscapeWhitespaces);
        if (normalized.Length > 0)
        {
            segments.Add(normalized);
        }
    }
}
