namespace Rerank;

/// <summary>
/// One repair an LLM reranker made to the model's output, reported in <see cref="RerankResponse.AdditionalProperties"/>
/// under <see cref="RerankResponseProperties.LlmRepairs"/>, so that a caller can see how far the model strayed from the format.
/// </summary>
/// <param name="Kind">What was repaired.</param>
/// <param name="DocumentIndices">The affected documents as positions in the caller's input (every copy of a duplicated text); empty when the repair concerns no known document, such as an unknown id.</param>
/// <param name="ModelId">The id exactly as the model wrote it, when the repair concerns one; otherwise <see langword="null"/>.</param>
/// <param name="Detail">A short human-readable explanation.</param>
public sealed record LlmOutputRepair(LlmOutputRepairKind Kind, IReadOnlyList<int> DocumentIndices, string? ModelId, string Detail)
{
    /// <inheritdoc />
    public override string ToString() => $"{Kind}: {Detail}";
}
