namespace Rerank;

/// <summary>How an LLM reranker asks the model to judge the candidates.</summary>
public enum LlmRerankMode
{
    /// <summary>
    /// The model scores documents one by one on a stated scale, several documents per call
    /// (<see cref="LlmRerankerOptions.BatchSize"/>); batches run concurrently. A document's score does not depend on the
    /// other candidates, so scores are comparable across calls and <see cref="RerankOptions.ScoreThreshold"/> is meaningful.
    /// </summary>
    Pointwise,

    /// <summary>
    /// The model returns a permutation of the candidates (RankGPT). Lists longer than
    /// <see cref="LlmRerankerOptions.WindowSize"/> are ranked with a sliding window from the end of the list towards the
    /// front, so the best candidates rise to the top. Scores are derived from the final rank and depend on the candidate set.
    /// </summary>
    Listwise,
}
