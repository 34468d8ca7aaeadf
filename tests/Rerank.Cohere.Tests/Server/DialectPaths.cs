namespace Rerank.Cohere.Tests.Server;

/// <summary>The server side's own knowledge of each dialect's path and limit, written from the providers' documentation.</summary>
internal static class DialectPaths
{
    public static string For(RerankApiDialect dialect) => dialect switch
    {
        RerankApiDialect.Cohere => "v2/rerank",
        RerankApiDialect.Jina => "v1/rerank",
        RerankApiDialect.Voyage => "v1/rerank",
        RerankApiDialect.TextEmbeddingsInference => "rerank",
        RerankApiDialect.Infinity => "rerank",
        RerankApiDialect.Vllm => "v2/rerank",
        _ => throw new ArgumentOutOfRangeException(nameof(dialect)),
    };

    public static int MaxDocuments(RerankApiDialect dialect) => dialect switch
    {
        RerankApiDialect.TextEmbeddingsInference => 32,
        RerankApiDialect.Infinity => 2048,
        RerankApiDialect.Vllm => int.MaxValue,
        _ => 1000,
    };
}
