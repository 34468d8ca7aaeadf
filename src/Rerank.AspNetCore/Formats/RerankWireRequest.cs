namespace Rerank.AspNetCore;

/// <summary>A request as any of the formats carries it, checked against the limits.</summary>
internal sealed class RerankWireRequest
{
    public required string Query { get; init; }

    public required string[] Documents { get; init; }

    /// <summary>Gets the requested model, or <see langword="null"/> for the default reranker.</summary>
    public string? Model { get; init; }

    public int? TopN { get; init; }

    public int? MaxTokensPerDocument { get; init; }

    /// <summary>Gets a value indicating whether the response echoes each document's text.</summary>
    public bool ReturnDocuments { get; init; }
}
