using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Rerank.Tests.Middleware.Caching;

/// <summary>The cache backends the caching behaviour tests run against, all in-process.</summary>
public enum CacheBackend
{
    /// <summary>The layer's own bounded memory cache.</summary>
    OwnMemory,

    /// <summary>A caller-supplied <see cref="IMemoryCache"/>.</summary>
    Memory,

    /// <summary>An <see cref="IDistributedCache"/> (the in-memory implementation; Redis is tested separately).</summary>
    Distributed,

    /// <summary>A <see cref="HybridCache"/> without a distributed tier.</summary>
    Hybrid,
}

/// <summary>Creates a caching pipeline over a given backend.</summary>
public static class CacheBackends
{
    public static RerankerBuilder UseCache(this RerankerBuilder builder, CacheBackend backend, Action<CachingRerankerOptions>? configure = null) => backend switch
    {
        CacheBackend.OwnMemory => builder.UseMemoryCache(configure: configure),
        CacheBackend.Memory => builder.UseMemoryCache(new MemoryCache(new MemoryCacheOptions()), configure),
        CacheBackend.Distributed => builder.UseDistributedCache(new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions())), configure),
        CacheBackend.Hybrid => builder.UseHybridCache(NewHybridCache(), configure),
        _ => throw new ArgumentOutOfRangeException(nameof(backend)),
    };

    public static HybridCache NewHybridCache()
    {
        var services = new ServiceCollection();
        services.AddHybridCache();
        return services.BuildServiceProvider().GetRequiredService<HybridCache>();
    }
}
