using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Rerank;

/// <summary>Adds a <see cref="CachingReranker"/> score cache to a pipeline.</summary>
public static class CachingRerankerBuilderExtensions
{
    /// <summary>
    /// Adds a score cache: the application's registered <see cref="HybridCache"/> if there is one, else a memory cache of
    /// the layer's own bounded by <see cref="CachingRerankerOptions.SizeLimit"/>.
    /// </summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="configure">Configures the cache options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">When the pipeline is built: the reranker below does not declare pointwise scores (see <see cref="CachingReranker"/>).</exception>
    /// <remarks>
    /// A registered <see cref="IMemoryCache"/> is not used: the one <c>AddMemoryCache()</c> registers has no size limit,
    /// and scores would grow it without bound. Pass one to <see cref="UseMemoryCache"/> to share it on purpose.
    /// </remarks>
    public static RerankerBuilder UseCaching(this RerankerBuilder builder, Action<CachingRerankerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) => services.GetService<HybridCache>() is HybridCache hybrid
            ? new CachingReranker(inner, hybrid, Configure(configure, services), Logger(services))
            : CreateMemory(inner, null, configure, services));
    }

    /// <summary>Adds a score cache in memory: in <paramref name="cache"/> when one is passed, else in a memory cache of the layer's own bounded by <see cref="CachingRerankerOptions.SizeLimit"/> and disposed with it.</summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="cache">
    /// A memory cache to share, which keeps its own size limit (each score is an entry of size 1) and is not disposed by
    /// the layer; or <see langword="null"/> (the default) for a bounded cache of the layer's own. The application's
    /// registered <see cref="IMemoryCache"/> is never adopted silently: the one <c>AddMemoryCache()</c> registers has no size
    /// limit, so the documented <see cref="CachingRerankerOptions.SizeLimit"/> would not hold.
    /// </param>
    /// <param name="configure">Configures the cache options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">When the pipeline is built: the reranker below does not declare pointwise scores (see <see cref="CachingReranker"/>).</exception>
    public static RerankerBuilder UseMemoryCache(this RerankerBuilder builder, IMemoryCache? cache = null, Action<CachingRerankerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) => CreateMemory(inner, cache, configure, services));
    }

    /// <summary>Adds a score cache in an <see cref="IDistributedCache"/> (Redis, SQL Server), so that several service instances share scores.</summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="cache">The distributed cache, or <see langword="null"/> to resolve it from the services given to <see cref="RerankerBuilder.Build"/>.</param>
    /// <param name="configure">Configures the cache options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">When the pipeline is built: no cache was given and none is registered, or the reranker below does not declare pointwise scores (see <see cref="CachingReranker"/>).</exception>
    public static RerankerBuilder UseDistributedCache(this RerankerBuilder builder, IDistributedCache? cache = null, Action<CachingRerankerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) => new CachingReranker(
            inner,
            cache ?? services.GetService<IDistributedCache>() ?? throw Missing(nameof(IDistributedCache), "AddStackExchangeRedisCache or AddDistributedMemoryCache"),
            Configure(configure, services),
            Logger(services)));
    }

    /// <summary>Adds a score cache in a <see cref="HybridCache"/>: a local tier in front of the registered distributed cache.</summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="cache">The hybrid cache, or <see langword="null"/> to resolve it from the services given to <see cref="RerankerBuilder.Build"/>.</param>
    /// <param name="configure">Configures the cache options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">When the pipeline is built: no cache was given and none is registered, or the reranker below does not declare pointwise scores (see <see cref="CachingReranker"/>).</exception>
    public static RerankerBuilder UseHybridCache(this RerankerBuilder builder, HybridCache? cache = null, Action<CachingRerankerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) => new CachingReranker(
            inner,
            cache ?? services.GetService<HybridCache>() ?? throw Missing(nameof(HybridCache), "AddHybridCache"),
            Configure(configure, services),
            Logger(services)));
    }

    private static CachingReranker CreateMemory(IReranker inner, IMemoryCache? cache, Action<CachingRerankerOptions>? configure, IServiceProvider services) =>
        cache is null
            ? new CachingReranker(inner, Configure(configure, services), Logger(services))
            : new CachingReranker(inner, cache, Configure(configure, services), Logger(services));

    private static CachingRerankerOptions Configure(Action<CachingRerankerOptions>? configure, IServiceProvider services)
    {
        var options = new CachingRerankerOptions();
        configure?.Invoke(options);
        options.TimeProvider ??= services.GetService<TimeProvider>();
        return options;
    }

    private static ILogger? Logger(IServiceProvider services) => services.GetService<ILoggerFactory>()?.CreateLogger<CachingReranker>();

    private static InvalidOperationException Missing(string service, string registration) =>
        new($"No {service} was given and none is registered in the service provider passed to Build; pass one, or register one (e.g. {registration}).");
}
