using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Logging;

namespace Rerank;

/// <summary>Scores in a <see cref="HybridCache"/>: an in-process tier in front of a shared distributed tier.</summary>
/// <remarks>
/// HybridCache has no plain "get": a read is a GetOrCreate whose factory returns an empty marker that is never
/// written, and a computed score is then stored with SetAsync. The caching layer, not HybridCache, computes misses, so
/// that all the misses of a call go to the inner reranker in one call.
/// </remarks>
internal sealed class HybridScoreStore : ByteScoreStore
{
    private static readonly Func<CancellationToken, ValueTask<byte[]?>> Miss = static _ => ValueTask.FromResult<byte[]?>(null);

    private readonly HybridCache _cache;
    private readonly HybridCacheEntryOptions _readOptions;
    private readonly HybridCacheEntryOptions _writeOptions;

    public HybridScoreStore(HybridCache cache, CachingRerankerOptions options, ILogger logger)
        : base(options, nameof(HybridCache), logger)
    {
        _cache = cache;
        _readOptions = new HybridCacheEntryOptions
        {
            Flags = HybridCacheEntryFlags.DisableLocalCacheWrite | HybridCacheEntryFlags.DisableDistributedCacheWrite,
        };
        _writeOptions = new HybridCacheEntryOptions
        {
            Expiration = options.Expiration,
            LocalCacheExpiration = options.Expiration,
        };
    }

    protected override Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken) =>
        _cache.GetOrCreateAsync(key, Miss, _readOptions, null, cancellationToken).AsTask();

    protected override Task SetAsync(string key, byte[] value, CancellationToken cancellationToken) =>
        _cache.SetAsync(key, value, _writeOptions, null, cancellationToken).AsTask();
}
