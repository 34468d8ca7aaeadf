namespace Rerank;

/// <summary>A first-stage search of query expansion that failed while the others still counted, or a generator that failed.</summary>
/// <param name="Query">The query whose search failed, or the user's query when the generator failed.</param>
/// <param name="Stage"><c>search</c> or <c>generate</c>.</param>
/// <param name="Error">The exception.</param>
public sealed record QueryExpansionFailure(string Query, string Stage, Exception Error);
