using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Logging;

namespace Rerank;

/// <summary>Scores in an <see cref="IDistributedCache"/> (Redis, SQL Server, ...), shared by every instance of a service.</summary>
internal sealed class DistributedScoreStore : ByteScoreStore
{
    private readonly IDistributedCache _cache;
    private readonly DistributedCacheEntryOptions _entryOptions;

    public DistributedScoreStore(IDistributedCache cache, CachingRerankerOptions options, ILogger logger)
        : base(options, nameof(IDistributedCache), logger)
    {
        _cache = cache;
        _entryOptions = new DistributedCacheEntryOptions
        {
            AbsoluteExpirationRelativeToNow = options.Expiration,
            SlidingExpiration = options.SlidingExpiration,
        };
    }

    protected override Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken) => _cache.GetAsync(key, cancellationToken);

    protected override Task SetAsync(string key, byte[] value, CancellationToken cancellationToken) => _cache.SetAsync(key, value, _entryOptions, cancellationToken);
}
