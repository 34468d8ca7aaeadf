namespace Rerank;

/// <summary>Describes a reranker; reach it through <see cref="IReranker.GetService(Type, object?)"/>.</summary>
/// <remarks>
/// A provider declares <see cref="ScoreSemantics"/> and a <see cref="ScoringFingerprint"/> of every setting that
/// changes its scores. A layer that changes either (a long-document layer pools chunk scores; a hybrid fuses signals)
/// answers with metadata of its own that combines its settings with the inner reranker's. The caching layer keys on the
/// fingerprint, and the layers that cache, split, chunk or coalesce candidates check the semantics when a pipeline is built.
/// </remarks>
public class RerankerMetadata
{
    /// <summary>Initializes a new instance of the <see cref="RerankerMetadata"/> class.</summary>
    /// <param name="providerName">The provider's name, such as <c>onnx</c> or <c>cohere</c>.</param>
    /// <param name="providerUri">The endpoint or model location, if any.</param>
    /// <param name="defaultModelId">The model used when <see cref="RerankOptions.ModelId"/> is not set.</param>
    public RerankerMetadata(string? providerName = null, Uri? providerUri = null, string? defaultModelId = null)
    {
        ProviderName = providerName;
        ProviderUri = providerUri;
        DefaultModelId = defaultModelId;
    }

    /// <summary>Gets the provider's name.</summary>
    public string? ProviderName { get; }

    /// <summary>Gets the endpoint or model location, if any.</summary>
    public Uri? ProviderUri { get; }

    /// <summary>Gets the model used when <see cref="RerankOptions.ModelId"/> is not set.</summary>
    public string? DefaultModelId { get; }

    /// <summary>Gets what the reranker's scores depend on.</summary>
    /// <value>Defaults to <see cref="RerankScoreSemantics.Unspecified"/>, which the caching, batching, chunking and coalescing layers refuse.</value>
    public RerankScoreSemantics ScoreSemantics { get; init; }

    /// <summary>
    /// Gets a stable text that identifies every setting that changes the reranker's scores (model file and its digest or
    /// the remote model id, activation, label, maximum length, prompts, scales, normalisation…), so that two rerankers
    /// whose scores may differ never share cached scores. Two instances configured alike give equal fingerprints, in
    /// every process.
    /// </summary>
    /// <value>
    /// <see langword="null"/> when the reranker does not say; the caching layer then keys on
    /// <see cref="ProviderName"/>, <see cref="ProviderUri"/> and <see cref="DefaultModelId"/> alone and logs that it did.
    /// Must not contain secrets: it may be logged.
    /// </value>
    public string? ScoringFingerprint { get; init; }
}
