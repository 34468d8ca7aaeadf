namespace Rerank;

/// <summary>The keys an LLM reranker writes into <see cref="RerankResponse.AdditionalProperties"/>.</summary>
public static class LlmResponseProperties
{
    /// <summary>The mode used, as <see cref="LlmRerankMode"/>.</summary>
    public const string Mode = "llm.mode";

    /// <summary>The number of chat calls made, retries included, as <see cref="int"/>.</summary>
    public const string ChatCalls = "llm.chat_calls";

    /// <summary>The repairs made to the model's output, as <see cref="IReadOnlyList{T}"/> of <see cref="LlmOutputRepair"/>; empty when the model followed the format.</summary>
    public const string Repairs = "llm.repairs";

    /// <summary>The number of documents whose text was cut to the length limit before it was sent, as <see cref="int"/>.</summary>
    public const string TruncatedDocuments = "llm.truncated_documents";

    /// <summary>The number of distinct document texts sent to the model, as <see cref="int"/>; identical texts are sent once and share a score.</summary>
    public const string DistinctDocuments = "llm.distinct_documents";
}
