namespace Rerank;

/// <summary>Options of the score cache added by <c>UseCaching</c>, <c>UseDistributedCache</c> and <c>UseHybridCache</c>.</summary>
public sealed class CachingRerankerOptions
{
    /// <summary>Gets or sets how long a score stays cached after it is written.</summary>
    /// <value>24 hours by default; <see langword="null"/> leaves expiry to the backend (a Redis entry then never expires). Must be positive.</value>
    public TimeSpan? Expiration { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Gets or sets how long a score stays cached after it was last read, for <c>IMemoryCache</c> and <c>IDistributedCache</c>; HybridCache ignores it.</summary>
    /// <value><see langword="null"/> (the default) for none. Must be positive.</value>
    public TimeSpan? SlidingExpiration { get; set; }

    /// <summary>Gets or sets the most scores kept when the layer creates its own memory cache (no <c>IMemoryCache</c> given or registered).</summary>
    /// <value>100,000 by default, about 10 MB. Must be at least 1. Each score has size 1, so a shared <c>IMemoryCache</c> with a <c>SizeLimit</c> counts scores too.</value>
    public long SizeLimit { get; set; } = 100_000;

    /// <summary>Gets or sets the prefix of the string keys in a distributed or hybrid cache, to keep Rerank's entries apart from others in a shared cache.</summary>
    /// <value><c>rerank:score:</c> by default. The rest of the key is a base64url SHA-256 digest; no query or document text is ever part of a key.</value>
    public string KeyPrefix { get; set; } = "rerank:score:";

    /// <summary>Gets or sets the identity of the cached reranker, which keeps the scores of different rerankers apart.</summary>
    /// <value>
    /// <see langword="null"/> (the default) derives it from the inner reranker's <see cref="RerankerMetadata"/> (provider
    /// name, provider URI, default model) or, without metadata, its type. Set it when two rerankers with the same metadata
    /// score differently (two fine-tunes loaded from the same path), or change it to discard every cached score.
    /// </value>
    public string? Identity { get; set; }

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    /// <exception cref="ArgumentException"><see cref="KeyPrefix"/> is <see langword="null"/>.</exception>
    internal void Validate()
    {
        if (Expiration is TimeSpan expiration && expiration <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Expiration), expiration, "CachingRerankerOptions.Expiration must be positive, or null to leave expiry to the cache.");
        }

        if (SlidingExpiration is TimeSpan sliding && sliding <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(SlidingExpiration), sliding, "CachingRerankerOptions.SlidingExpiration must be positive, or null for none.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(SizeLimit, 1, nameof(SizeLimit));
        ArgumentNullException.ThrowIfNull(KeyPrefix, nameof(KeyPrefix));
    }
}
