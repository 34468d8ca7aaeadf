namespace Rerank;

/// <summary>One named reranker of a checked <see cref="RerankingPlan"/>: where it was registered, and the pipeline that builds it.</summary>
/// <param name="Name">The name.</param>
/// <param name="Source">Its configuration path, or "code" for one registered in code.</param>
/// <param name="Pipeline">Builds the pipeline from the root services.</param>
internal sealed record PlannedReranker(string Name, string Source, RerankerBuilder Pipeline);
