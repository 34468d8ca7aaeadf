namespace Rerank.Onnx.Tokenization;

/// <summary>Turns raw text into the normalised segments a <see cref="UnigramModel"/> splits into pieces.</summary>
internal abstract class UnigramTextPipeline
{
    /// <summary>Normalises and pre-tokenises <paramref name="text"/>.</summary>
    /// <param name="text">The raw text.</param>
    /// <param name="atStart">Whether <paramref name="text"/> begins at the start of the input (not after an added token).</param>
    /// <param name="segments">Receives the non-empty segments, in order.</param>
    public abstract void Segment(string text, bool atStart, List<string> segments);

    /// <summary>
    /// Gets a value indicating whether the text before a space (one that follows an ASCII character other than
    /// whitespace) always gives the same leading segments as the whole text, each space starting a new one: then
    /// <see cref="PairTokenizer"/> may tokenise only the start of a long document (see <see cref="PairTokenizer.EncodeAtLeast"/>).
    /// </summary>
    public abstract bool SplitsAtSpaces { get; }
}
