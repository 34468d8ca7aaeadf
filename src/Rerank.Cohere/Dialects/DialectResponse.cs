namespace Rerank.Dialects;

/// <summary>What a dialect read from one response, before the reranker checks it and maps indices back to the caller's input.</summary>
internal sealed class DialectResponse
{
    /// <summary>Gets the results, with indices into the request's own documents, in the server's order.</summary>
    public required (int Index, double Score)[] Results { get; init; }

    /// <summary>Gets the usage the server reported, if any.</summary>
    public RerankUsage? Usage { get; init; }

    /// <summary>Gets the model the server said it used, if it said.</summary>
    public string? ModelId { get; init; }

    /// <summary>Gets the server's id for the call, if it has one.</summary>
    public string? ResponseId { get; init; }

    /// <summary>Gets warnings the server attached (Cohere's <c>meta.warnings</c>), if any.</summary>
    public IReadOnlyList<string>? Warnings { get; init; }

    /// <summary>Gets the API version the server reported (Cohere's <c>meta.api_version.version</c>), if any.</summary>
    public string? ApiVersion { get; init; }
}
