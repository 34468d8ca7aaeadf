namespace Rerank;

/// <summary>How the scores of a long document's chunks become the document's score.</summary>
public enum LongDocumentPooling
{
    /// <summary>The best chunk's score: a document is as relevant as its most relevant passage (the usual choice, as in MaxP).</summary>
    Max,

    /// <summary>The mean of all chunk scores: rewards documents that are relevant throughout.</summary>
    Mean,

    /// <summary>The mean of the <see cref="LongDocumentRerankerOptions.TopK"/> best chunk scores: between <see cref="Max"/> and <see cref="Mean"/>.</summary>
    TopKMean,
}
