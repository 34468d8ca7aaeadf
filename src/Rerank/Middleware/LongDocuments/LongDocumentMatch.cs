namespace Rerank;

/// <summary>How a document longer than the window was scored: into how many chunks it was split and which chunk won.</summary>
/// <param name="ChunkCount">The number of overlapping chunks the document was split into.</param>
/// <param name="BestChunk">The position of the highest-scoring chunk, 0 for the first.</param>
/// <param name="BestChunkStart">Where the best chunk starts in the document text, in characters.</param>
/// <param name="BestChunkLength">The best chunk's length in characters.</param>
/// <param name="BestChunkScore">The best chunk's own score; the document's score is the pooled score of all chunks.</param>
public sealed record LongDocumentMatch(int ChunkCount, int BestChunk, int BestChunkStart, int BestChunkLength, double BestChunkScore);
