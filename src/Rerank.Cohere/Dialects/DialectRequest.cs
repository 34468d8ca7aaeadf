namespace Rerank.Dialects;

/// <summary>One request's worth of a call: the query and a slice of the caller's documents, with the settings to send.</summary>
/// <param name="Query">The query.</param>
/// <param name="Documents">All of the call's documents.</param>
/// <param name="Offset">The first document of this request.</param>
/// <param name="Count">How many documents this request carries.</param>
/// <param name="ModelId">The model to name, or <see langword="null"/> to leave the field out.</param>
/// <param name="TopN">The <c>top_n</c> to send, or <see langword="null"/> to ask for every result.</param>
/// <param name="MaxTokensPerDocument">Cohere's <c>max_tokens_per_doc</c>, or <see langword="null"/>.</param>
internal readonly record struct DialectRequest(
    string Query,
    IReadOnlyList<RerankDocument> Documents,
    int Offset,
    int Count,
    string? ModelId,
    int? TopN,
    int? MaxTokensPerDocument);
