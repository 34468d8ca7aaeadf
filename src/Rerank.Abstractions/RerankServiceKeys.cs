namespace Rerank;

/// <summary>
/// Service keys for <c>GetService(Type, object?)</c> lookups that rerankers make of the components they are given, such as
/// an embedding generator.
/// </summary>
public static class RerankServiceKeys
{
    /// <summary>
    /// With <c>typeof(string)</c>: a component's scoring fingerprint — a string naming every file and setting that changes
    /// its output (an embedding generator's model digests, pooling, maximum length, default prompt), never a secret.
    /// </summary>
    /// <remarks>
    /// <c>EmbeddingReranker</c> keys its document-embedding cache on it, so that two differently configured generators of
    /// the same model never share cached embeddings. A component that cannot name its settings returns <see langword="null"/>.
    /// </remarks>
    public const string ScoringFingerprint = "rerank.scoring_fingerprint";
}
