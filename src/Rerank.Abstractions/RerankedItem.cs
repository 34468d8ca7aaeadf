namespace Rerank;

/// <summary>One of the caller's own items after reranking, with its score, its position in the input and its rank.</summary>
/// <typeparam name="T">The caller's item type.</typeparam>
/// <param name="Item">The caller's item.</param>
/// <param name="Score">The relevance score; higher is more relevant.</param>
/// <param name="Index">The item's position in the input.</param>
/// <param name="Rank">The item's position in the ranking, 0 for the most relevant.</param>
public sealed record RerankedItem<T>(T Item, double Score, int Index, int Rank);
