namespace Rerank;

/// <summary>
/// Says what a reranker's scores depend on, so that layers which cache, split, chunk, merge or coalesce candidates
/// know whether doing so keeps the scores correct. Declared through <see cref="RerankerMetadata.ScoreSemantics"/>.
/// </summary>
public enum RerankScoreSemantics
{
    /// <summary>
    /// Not declared. Layers that need pointwise scores (caching, batching, chunking, coalescing) refuse such a
    /// reranker when the pipeline is built, with a message saying how to declare it; they never guess.
    /// </summary>
    Unspecified = 0,

    /// <summary>
    /// A document's score is a function of the reranker's configuration, the query and that document alone (a
    /// cross-encoder, Cohere, an embedding cosine, a pointwise LLM judge): it may be cached per (query, document) and
    /// the candidates may be split into batches or merged with other requests' candidates.
    /// </summary>
    Pointwise = 1,

    /// <summary>
    /// A document's score also depends on the other candidates (BM25 with statistics from the candidates, listwise LLM
    /// ranks, first-stage order, rank fusion, min-max or z-score normalised hybrids): the same document scores
    /// differently in another candidate set, so a per-document cache, splitting or merging would return wrong scores.
    /// </summary>
    CandidateSetDependent = 2,
}
