namespace Rerank;

/// <summary>Options of the score cache added by <c>UseCaching</c>, <c>UseMemoryCache</c>, <c>UseDistributedCache</c> and <c>UseHybridCache</c>.</summary>
public sealed class CachingRerankerOptions
{
    /// <summary>Gets or sets how long a score stays cached after it is written.</summary>
    /// <value>24 hours by default; <see langword="null"/> leaves expiry to the backend (a Redis entry then never expires). Must be positive.</value>
    public TimeSpan? Expiration { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Gets or sets how long a score stays cached after it was last read, for <c>IMemoryCache</c> and <c>IDistributedCache</c>; HybridCache ignores it.</summary>
    /// <value><see langword="null"/> (the default) for none. Must be positive.</value>
    public TimeSpan? SlidingExpiration { get; set; }

    /// <summary>Gets or sets the most scores kept when the layer creates its own memory cache (<c>UseCaching</c> without a registered <c>HybridCache</c>, or <c>UseMemoryCache</c> without a cache passed in).</summary>
    /// <value>
    /// 100,000 by default, about 10 MB. Must be at least 1. An <c>IMemoryCache</c> passed in explicitly keeps its own
    /// limit: each score is an entry of size 1, so a cache with a <c>SizeLimit</c> counts scores, and one without a limit grows
    /// without bound. That is why the layer never adopts the application's registered <c>IMemoryCache</c> on its own.
    /// </value>
    public long SizeLimit { get; set; } = 100_000;

    /// <summary>Gets or sets the prefix of the string keys in a distributed or hybrid cache, to keep Rerank's entries apart from others in a shared cache.</summary>
    /// <value><c>rerank:score:</c> by default. The rest of the key is a base64url SHA-256 digest; no query or document text is ever part of a key.</value>
    public string KeyPrefix { get; set; } = "rerank:score:";

    /// <summary>Gets or sets the identity of the cached reranker, which keeps the scores of different rerankers apart.</summary>
    /// <value>
    /// <see langword="null"/> (the default) uses the inner reranker's <see cref="RerankerMetadata.ScoringFingerprint"/>,
    /// which every reranker of Rerank declares (model digest, activation, prompts, dialect and model…); for a reranker that
    /// declares none, its provider name, URI and default model, with a warning logged once. Set it for such a reranker,
    /// or change it to discard every cached score.
    /// </value>
    public string? Identity { get; set; }

    /// <summary>Gets or sets the most requests to a distributed or hybrid cache that one call has in flight at once (reads, then writes).</summary>
    /// <value>64 by default; at least 1. A call over 10,000 documents then never puts more than 64 GETs on the connection at once.</value>
    public int MaxConcurrentRequests { get; set; } = 64;

    /// <summary>Gets or sets how long a call waits for a distributed or hybrid cache to answer its reads.</summary>
    /// <value>
    /// 1 second by default; positive, or <see langword="null"/> to wait as long as the cache takes. When it runs out, the
    /// entries not yet read count as misses and are scored by the inner reranker, and a warning is logged: a slow cache
    /// costs model time, never an unbounded wait.
    /// </value>
    public TimeSpan? ReadTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets how long a call waits for a distributed or hybrid cache to store the scores it computed.</summary>
    /// <value>1 second by default; positive, or <see langword="null"/> for no limit. Scores not stored in time are scored again next time; the call still answers.</value>
    public TimeSpan? WriteTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the clock of <see cref="ReadTimeout"/> and <see cref="WriteTimeout"/>.</summary>
    /// <value><see langword="null"/> (the default) for the <see cref="System.TimeProvider"/> registered in the services given to <c>Build</c>, else <see cref="TimeProvider.System"/>.</value>
    public TimeProvider? TimeProvider { get; set; }

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
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConcurrentRequests, 1, nameof(MaxConcurrentRequests));
        foreach ((TimeSpan? timeout, string name) in new[] { (ReadTimeout, nameof(ReadTimeout)), (WriteTimeout, nameof(WriteTimeout)) })
        {
            if (timeout is TimeSpan value && value <= TimeSpan.Zero && value != System.Threading.Timeout.InfiniteTimeSpan)
            {
                throw new ArgumentOutOfRangeException(name, value, $"CachingRerankerOptions.{name} must be positive, or null for no limit.");
            }
        }

        ArgumentNullException.ThrowIfNull(KeyPrefix, nameof(KeyPrefix));
    }
}
