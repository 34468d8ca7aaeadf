using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;

namespace Rerank;

/// <summary>Scores in an <see cref="IMemoryCache"/>, keyed by <see cref="ScoreCacheKey"/> values, each of size 1.</summary>
internal sealed class MemoryScoreStore : ScoreStore
{
    private readonly IMemoryCache _cache;
    private readonly bool _ownsCache;
    private readonly MemoryCacheEntryOptions _entryOptions;

    public MemoryScoreStore(IMemoryCache cache, bool ownsCache, CachingRerankerOptions options, ILogger logger)
        : base(logger)
    {
        _cache = cache;
        _ownsCache = ownsCache;

        // Size 1 per score, so that a cache with a SizeLimit counts scores; a shared cache without a limit ignores it.
        _entryOptions = new MemoryCacheEntryOptions
        {
            Size = 1,
            AbsoluteExpirationRelativeToNow = options.Expiration,
            SlidingExpiration = options.SlidingExpiration,
        };
    }

    public override ValueTask ReadAsync(ScoreCacheKey[] keys, double[] scores, bool[] found, CancellationToken cancellationToken)
    {
        for (int i = 0; i < keys.Length; i++)
        {
            if (_cache.TryGetValue(keys[i], out object? value) && value is double score)
            {
                scores[i] = score;
                found[i] = true;
            }
        }

        return ValueTask.CompletedTask;
    }

    public override ValueTask WriteAsync(ScoreCacheKey[] keys, double[] scores, int count, CancellationToken cancellationToken)
    {
        for (int i = 0; i < count; i++)
        {
            _cache.Set(keys[i], scores[i], _entryOptions);
        }

        return ValueTask.CompletedTask;
    }

    public override void Dispose()
    {
        if (_ownsCache)
        {
            _cache.Dispose();
        }
    }
}
