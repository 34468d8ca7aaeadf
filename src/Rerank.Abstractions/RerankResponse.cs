namespace Rerank;

/// <summary>The result of a reranking call: the documents ordered by relevance, most relevant first.</summary>
public class RerankResponse
{
    /// <summary>Initializes a new instance of the <see cref="RerankResponse"/> class.</summary>
    /// <param name="results">The results, already ordered and cut to <see cref="RerankOptions.TopN"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="results"/> is <see langword="null"/>.</exception>
    public RerankResponse(IReadOnlyList<RerankResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        Results = results;
    }

    /// <summary>Gets the results, most relevant first.</summary>
    public IReadOnlyList<RerankResult> Results { get; }

    /// <summary>Gets or sets the model that produced the scores.</summary>
    public string? ModelId { get; set; }

    /// <summary>Gets or sets the provider's identifier for the call, if it has one.</summary>
    public string? ResponseId { get; set; }

    /// <summary>Gets or sets what the call consumed, if known.</summary>
    public RerankUsage? Usage { get; set; }

    /// <summary>Gets or sets the provider's own response object (a JSON document, an ONNX output), for diagnostics.</summary>
    public object? RawRepresentation { get; set; }

    /// <summary>Gets or sets extra facts about the call that middleware and providers report: which reranker answered, repairs made to model output, truncations.</summary>
    public IDictionary<string, object?>? AdditionalProperties { get; set; }
}
