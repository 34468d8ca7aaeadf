namespace Rerank;

/// <summary>What an LLM reranker did about model output that did not follow the requested format.</summary>
public enum LlmOutputRepairKind
{
    /// <summary>The output was empty or held nothing usable (no JSON, no known ids); the call was sent again.</summary>
    UnusableOutputRetried,

    /// <summary>Pointwise: some documents got no score; they were sent again in a call of their own.</summary>
    MissingScoreRetried,

    /// <summary>Pointwise: a document still had no score after every retry; it was given the lowest score of the scale.</summary>
    MissingScoreDefaulted,

    /// <summary>Pointwise: a score lay outside the stated scale; it was clamped to the nearest end of the scale.</summary>
    ScoreClamped,

    /// <summary>Pointwise: an entry's score was not a finite number; the entry was ignored and the document counted as missing.</summary>
    InvalidScoreIgnored,

    /// <summary>The output named an id that was not in the prompt (out of range, malformed, or from another call); it was ignored.</summary>
    UnknownIdIgnored,

    /// <summary>The output named an id more than once; the first occurrence was kept and the others ignored.</summary>
    DuplicateIdIgnored,

    /// <summary>Listwise: the permutation left documents out; they were appended after the ranked ones, in the order they were given to the model.</summary>
    MissingIdAppended,
}
