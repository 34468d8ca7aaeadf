namespace Rerank;

/// <summary>One document found by <see cref="Bm25Index.Search"/>.</summary>
/// <param name="Id">The document's identifier, as given to the index.</param>
/// <param name="Score">Its BM25 score; greater than 0.</param>
public readonly record struct Bm25Hit(string Id, double Score);
