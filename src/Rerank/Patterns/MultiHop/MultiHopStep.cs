namespace Rerank;

/// <summary>One hop of multi-hop reranking: its query and the weight of its scores in the combined score.</summary>
/// <param name="Hop">0 for the user's query, then 1, 2…</param>
/// <param name="Query">The query the candidates were reranked with.</param>
/// <param name="Weight">The weight of this hop's scores: <c>decay^hop</c>.</param>
public sealed record MultiHopStep(int Hop, string Query, double Weight);
