using Microsoft.Extensions.AI;

namespace Rerank;

/// <summary>Configures an <see cref="EmbeddingReranker"/>.</summary>
/// <remarks>The options are read once, when the reranker is constructed; the generation options are cloned there.</remarks>
public sealed class EmbeddingRerankerOptions
{
    /// <summary>Gets or sets the options passed to the generator when it embeds the query.</summary>
    /// <value>
    /// <see langword="null"/> (the default) passes none. For a model with prompts, name the query prompt, such as
    /// <c>new EmbeddingGenerationOptions { AdditionalProperties = new() { ["prompt_name"] = "query" } }</c> for
    /// <c>OnnxEmbeddingGenerator</c> and e5.
    /// </value>
    public EmbeddingGenerationOptions? QueryGenerationOptions { get; set; }

    /// <summary>Gets or sets the options passed to the generator when it embeds documents.</summary>
    /// <value><see langword="null"/> (the default) passes none. They are part of the cache key: documents embedded with other options are embedded again.</value>
    public EmbeddingGenerationOptions? DocumentGenerationOptions { get; set; }

    /// <summary>Gets or sets how many document embeddings the reranker's own memory cache holds.</summary>
    /// <value>The default is 10,000 (about 15 MB for 384 dimensions). Only used when no cache is passed to the constructor; at least 1.</value>
    public int MaxCachedDocuments { get; set; } = 10_000;

    /// <summary>Gets or sets how long a cached document embedding lives after it was stored.</summary>
    /// <value><see langword="null"/> (the default) keeps it until the cache evicts it.</value>
    public TimeSpan? Expiration { get; set; }

    /// <summary>Gets or sets how long a cached document embedding lives after it was last read.</summary>
    /// <value><see langword="null"/> (the default) sets no sliding expiration.</value>
    public TimeSpan? SlidingExpiration { get; set; }

    /// <summary>Gets or sets the prefix of the keys written to an <c>IDistributedCache</c>, to keep them apart from other data.</summary>
    /// <value>The default is <c>rerank:embedding:</c>.</value>
    public string KeyPrefix { get; set; } = "rerank:embedding:";
}
