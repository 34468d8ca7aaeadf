namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers an application's named rerankers: returned by <c>services.AddReranking()</c>, extended by each provider package
/// (<c>AddBm25</c>, <c>AddLlm</c>, <c>AddHybrid</c> here; <c>AddCohere</c> in Rerank.Cohere; <c>AddOnnxCrossEncoder</c> in Rerank.Onnx).
/// </summary>
/// <remarks>
/// Every reranker registered through this builder is built once per container (lazily, or when the host starts, by
/// <see cref="Rerank.RerankingOptions.Loading"/>), shared by every scope, and disposed with the container.
/// </remarks>
public interface IRerankingBuilder
{
    /// <summary>Gets the service collection the rerankers are registered in.</summary>
    IServiceCollection Services { get; }
}
