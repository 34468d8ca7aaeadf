namespace Rerank;

/// <summary>Options of the long-document layer added by <c>UseLongDocuments</c>.</summary>
public sealed class LongDocumentRerankerOptions
{
    /// <summary>Gets or sets the most a chunk may hold, in the units of <see cref="LengthFunction"/>; a longer document is split.</summary>
    /// <value>
    /// 1,500 by default: characters, about 400 English tokens, which leaves room for the query in a 512-token
    /// cross-encoder. At least 1.
    /// </value>
    public int WindowSize { get; set; } = 1_500;

    /// <summary>Gets or sets how much consecutive chunks share, in the units of <see cref="LengthFunction"/>, so that a passage cut by a boundary is whole in one chunk.</summary>
    /// <value>200 by default; at least 0 and less than <see cref="WindowSize"/>.</value>
    public int Overlap { get; set; } = 200;

    /// <summary>Gets or sets how a text's length is measured.</summary>
    /// <value>
    /// <see langword="null"/> (the default) counts characters. For tokens pass the model tokenizer's count, e.g.
    /// <c>text => tokenizer.CountTokens(text)</c>. Chunks are cut between words, and a chunk's length is the sum of its
    /// words' lengths, which equals its token count for tokenizers that split on white space (WordPiece).
    /// </value>
    public Func<string, int>? LengthFunction { get; set; }

    /// <summary>Gets or sets how chunk scores become the document's score.</summary>
    /// <value><see cref="LongDocumentPooling.Max"/> by default.</value>
    public LongDocumentPooling Pooling { get; set; } = LongDocumentPooling.Max;

    /// <summary>Gets or sets how many of the best chunks <see cref="LongDocumentPooling.TopKMean"/> averages.</summary>
    /// <value>3 by default; at least 1.</value>
    public int TopK { get; set; } = 3;

    /// <summary>Gets or sets the most chunks one document is split into; the text after them is not scored.</summary>
    /// <value>
    /// 32 by default (about 43,000 characters with the default window and overlap); at least 1. A 1 MB document would
    /// otherwise make some 770 chunks. Documents cut this way are counted under
    /// <see cref="RerankResponseProperties.LongDocumentsCutDocuments"/>.
    /// </value>
    public int MaxChunksPerDocument { get; set; } = 32;

    /// <summary>Gets or sets the most chunks the long documents of one call may make together (documents that fit are not counted).</summary>
    /// <value>1,024 by default; at least 1. A call whose documents would make more fails with <see cref="ArgumentException"/> before anything is scored.</value>
    public int MaxChunksPerRequest { get; set; } = 1_024;

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(WindowSize, 1, nameof(WindowSize));
        ArgumentOutOfRangeException.ThrowIfNegative(Overlap, nameof(Overlap));
        if (Overlap >= WindowSize)
        {
            throw new ArgumentOutOfRangeException(nameof(Overlap), Overlap, $"LongDocumentRerankerOptions.Overlap must be less than WindowSize ({WindowSize}), or chunks would never advance.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(TopK, 1, nameof(TopK));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxChunksPerDocument, 1, nameof(MaxChunksPerDocument));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxChunksPerRequest, 1, nameof(MaxChunksPerRequest));
        if (!Enum.IsDefined(Pooling))
        {
            throw new ArgumentOutOfRangeException(nameof(Pooling), Pooling, "Unknown LongDocumentPooling value.");
        }
    }
}
