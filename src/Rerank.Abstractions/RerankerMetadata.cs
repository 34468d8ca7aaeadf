namespace Rerank;

/// <summary>Describes a reranker; reach it through <see cref="IReranker.GetService(Type, object?)"/>.</summary>
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
}
