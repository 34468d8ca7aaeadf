using System.Buffers.Binary;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Rerank.Tests.Middleware.Caching;

/// <summary>Keys, values, expiry, size, failures and registration of the score cache.</summary>
[TestFixture]
public sealed class CachingBackendTests
{
    private const string Query = "which plants make energy";

    private static readonly string[] Texts = ["plants make energy from light", "the stock market fell", "energy drinks and sugar", "bees and honey", "plants need water"];

    [Test]
    public async Task Distributed_keys_are_prefixed_digests_without_raw_text_and_values_are_the_scores()
    {
        var cache = new RecordingDistributedCache();
        using IReranker reranker = new RerankerBuilder(new ProbeReranker()).UseDistributedCache(cache).Build();

        await reranker.RerankAsync(Query, Texts);

        Assert.That(cache.Writes, Has.Count.EqualTo(Texts.Length));
        foreach ((string key, (byte[] value, DistributedCacheEntryOptions _)) in cache.Writes)
        {
            Assert.That(key, Does.Match("^rerank:score:[A-Za-z0-9_-]{43}$"), "prefix + base64url SHA-256");
            Assert.That(Texts.SelectMany(t => t.Split(' ')).Concat(Query.Split(' ')).Where(w => w.Length > 3), Has.None.Matches<string>(w => key.Contains(w, StringComparison.OrdinalIgnoreCase)));
            Assert.That(value, Has.Length.EqualTo(8));
        }

        double[] stored = cache.Writes.Values.Select(w => BinaryPrimitives.ReadDoubleLittleEndian(w.Value)).Order().ToArray();
        Assert.That(stored, Is.EqualTo(Texts.Select(t => ProbeReranker.Score(Query, t)).Order().ToArray()));
    }

    [Test]
    public async Task Expiry_options_reach_the_distributed_cache_and_the_key_prefix_is_configurable()
    {
        var cache = new RecordingDistributedCache();
        using IReranker withDefaults = new RerankerBuilder(new ProbeReranker()).UseDistributedCache(cache).Build();
        await withDefaults.RerankAsync(Query, Texts[..1]);
        DistributedCacheEntryOptions defaults = cache.Writes.Values.Single().Options;
        cache.Writes.Clear();

        using IReranker configured = new RerankerBuilder(new ProbeReranker()).UseDistributedCache(cache, o =>
        {
            o.Expiration = TimeSpan.FromMinutes(5);
            o.SlidingExpiration = TimeSpan.FromMinutes(1);
            o.KeyPrefix = "svc-a:";
        }).Build();
        await configured.RerankAsync(Query, Texts[..1]);
        (string key, (byte[] _, DistributedCacheEntryOptions options)) = cache.Writes.Single();

        Assert.That(defaults.AbsoluteExpirationRelativeToNow, Is.EqualTo(TimeSpan.FromHours(24)));
        Assert.That(defaults.SlidingExpiration, Is.Null);
        Assert.That(options.AbsoluteExpirationRelativeToNow, Is.EqualTo(TimeSpan.FromMinutes(5)));
        Assert.That(options.SlidingExpiration, Is.EqualTo(TimeSpan.FromMinutes(1)));
        Assert.That(key, Does.StartWith("svc-a:"));
    }

    [Test]
    public async Task A_failing_distributed_cache_is_logged_and_reranking_goes_on()
    {
        var cache = new RecordingDistributedCache { Failure = new TimeoutException("redis is down") };
        var logger = new FakeLogger();
        var probe = new ProbeReranker();
        using IReranker reranker = new CachingReranker(probe, cache, null, logger);

        RerankResponse response = await reranker.RerankAsync(Query, Texts);

        Assert.That(response.Results, Has.Count.EqualTo(Texts.Length));
        Assert.That(response.Results[0].Document.Text, Is.EqualTo(Texts[0]));
        Assert.That(probe.BackendCalls, Is.EqualTo(1));
        FakeLogRecord[] warnings = [.. logger.Collector.GetSnapshot().Where(r => r.Level == LogLevel.Warning)];
        Assert.That(warnings.Select(w => w.Message), Is.EqualTo(new[]
        {
            "The score cache (IDistributedCache) failed to read 5 entries; they are scored again.",
            "The score cache (IDistributedCache) failed to store 5 entries; they will be scored again next time.",
        }));
        Assert.That(warnings.Select(w => w.Exception), Is.All.InstanceOf<TimeoutException>());
    }

    [Test]
    public void The_callers_cancellation_of_a_distributed_read_propagates()
    {
        using var cts = new CancellationTokenSource();
        var cache = new RecordingDistributedCache { OnRead = cts.Cancel, Failure = new OperationCanceledException(cts.Token) };
        var probe = new ProbeReranker();
        var logger = new FakeLogger();
        using IReranker reranker = new CachingReranker(probe, cache, null, logger);

        // The caller cancels while the cache is being read: that is not a cache failure to log and skip.
        Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), () => reranker.RerankAsync(Query, Texts, cancellationToken: cts.Token));
        Assert.That(probe.BackendCalls, Is.Zero);
        Assert.That(logger.Collector.Count, Is.Zero);
    }

    [Test]
    public async Task Memory_entries_expire_after_the_configured_expiration()
    {
        var time = new FakeTimeProvider();
        using var cache = new MemoryCache(new MemoryCacheOptions { Clock = new FakeClock(time) });
        var probe = new ProbeReranker();
        using IReranker reranker = new RerankerBuilder(probe).UseMemoryCache(cache, o => o.Expiration = TimeSpan.FromMinutes(10)).Build();

        await reranker.RerankAsync(Query, Texts);
        time.Advance(TimeSpan.FromMinutes(9));
        await reranker.RerankAsync(Query, Texts);
        time.Advance(TimeSpan.FromMinutes(2));
        await reranker.RerankAsync(Query, Texts);

        Assert.That(probe.BackendCalls, Is.EqualTo(2), "hit at 9 minutes, expired at 11");
    }

    [Test]
    public async Task The_layers_own_memory_cache_holds_at_most_SizeLimit_scores()
    {
        var probe = new ProbeReranker();
        using IReranker reranker = new RerankerBuilder(probe).UseMemoryCache(configure: o => o.SizeLimit = 3).Build();

        await reranker.RerankAsync(Query, Texts);
        RerankResponse again = await reranker.RerankAsync(Query, Texts);

        Assert.That(probe.Calls[1].Documents, Has.Count.GreaterThanOrEqualTo(Texts.Length - 3), "no more than 3 scores were kept");
        Assert.That(again.Results, Has.Count.EqualTo(Texts.Length));
    }

    [Test]
    public async Task A_shared_memory_cache_with_a_size_limit_counts_one_per_score()
    {
        using var cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = 100 });
        using IReranker reranker = new RerankerBuilder(new ProbeReranker()).UseMemoryCache(cache).Build();

        await reranker.RerankAsync(Query, Texts);

        Assert.That(cache.GetCurrentStatistics()?.CurrentEstimatedSize ?? cache.Count, Is.EqualTo(Texts.Length));
    }

    [Test]
    public async Task Dependency_injection_resolves_each_backend()
    {
        var services = new ServiceCollection();
        services.AddDistributedMemoryCache();
        services.AddKeyedReranker("distributed", new ProbeReranker()).UseDistributedCache();
        services.AddKeyedReranker("hybrid", new ProbeReranker()).UseHybridCache();
        services.AddKeyedReranker("memory", new ProbeReranker()).UseMemoryCache();
        services.AddHybridCache();
        using ServiceProvider provider = services.BuildServiceProvider();

        foreach (string key in new[] { "distributed", "hybrid", "memory" })
        {
            IReranker reranker = provider.GetRequiredKeyedService<IReranker>(key);
            await reranker.RerankAsync(Query, Texts);
            await reranker.RerankAsync(Query, Texts);
            Assert.That(reranker.GetRequiredService<ProbeReranker>().BackendCalls, Is.EqualTo(1), key);
        }
    }

    [Test]
    public async Task UseCaching_prefers_a_registered_HybridCache_and_never_adopts_the_unbounded_registered_IMemoryCache()
    {
        var withHybrid = new ServiceCollection();
        var hybrid = new CountingHybridCache(CacheBackends.NewHybridCache());
        withHybrid.AddSingleton<HybridCache>(hybrid);
        withHybrid.AddReranker(new ProbeReranker()).UseCaching();
        using (ServiceProvider provider = withHybrid.BuildServiceProvider())
        {
            await provider.GetRequiredService<IReranker>().RerankAsync(Query, Texts);
        }

        var withMemory = new ServiceCollection();
        var memory = new MemoryCache(new MemoryCacheOptions());
        withMemory.AddSingleton<IMemoryCache>(memory);
        withMemory.AddReranker(new ProbeReranker()).UseCaching();
        using (ServiceProvider provider = withMemory.BuildServiceProvider())
        {
            await provider.GetRequiredService<IReranker>().RerankAsync(Query, Texts);
        }

        Assert.That(hybrid.Sets, Is.EqualTo(Texts.Length));
        Assert.That(memory.Count, Is.Zero, "AddMemoryCache() has no size limit; the layer's own cache, bounded by SizeLimit, holds the scores");
    }

    [Test]
    public async Task UseMemoryCache_keeps_its_own_SizeLimit_unless_a_cache_is_passed_explicitly()
    {
        var services = new ServiceCollection();
        var registered = new MemoryCache(new MemoryCacheOptions());
        services.AddSingleton<IMemoryCache>(registered);
        services.AddReranker(new ProbeReranker()).UseMemoryCache(configure: o => o.SizeLimit = 2);
        using (ServiceProvider provider = services.BuildServiceProvider())
        {
            IReranker reranker = provider.GetRequiredService<IReranker>();
            await reranker.RerankAsync(Query, Texts);
            RerankResponse again = await reranker.RerankAsync(Query, Texts);
            Assert.That(again.AdditionalProperties![RerankResponseProperties.CacheHits], Is.LessThanOrEqualTo(2), "at most SizeLimit scores are kept");
        }

        var passed = new MemoryCache(new MemoryCacheOptions());
        using IReranker explicitCache = new RerankerBuilder(new ProbeReranker()).UseMemoryCache(passed).Build();
        await explicitCache.RerankAsync(Query, Texts);

        Assert.That(registered.Count, Is.Zero, "the registered cache is never adopted silently");
        Assert.That(passed.Count, Is.EqualTo(Texts.Length), "a cache passed in is used, with its own limits");
    }

    [Test]
    public void UseDistributedCache_without_a_cache_fails_when_the_pipeline_is_built_and_says_what_to_register()
    {
        var services = new ServiceCollection();
        services.AddReranker(new ProbeReranker()).UseDistributedCache();
        using ServiceProvider provider = services.BuildServiceProvider();

        var ex = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IReranker>());

        Assert.That(ex!.Message, Does.Contain("IDistributedCache").And.Contain("AddStackExchangeRedisCache"));
    }

    [Test]
    public void Options_are_validated_when_the_pipeline_is_built()
    {
        RerankerBuilder zeroExpiration = new RerankerBuilder(new ProbeReranker()).UseMemoryCache(configure: o => o.Expiration = TimeSpan.Zero);
        RerankerBuilder negativeSliding = new RerankerBuilder(new ProbeReranker()).UseMemoryCache(configure: o => o.SlidingExpiration = TimeSpan.FromSeconds(-1));
        RerankerBuilder noSize = new RerankerBuilder(new ProbeReranker()).UseMemoryCache(configure: o => o.SizeLimit = 0);
        RerankerBuilder nullPrefix = new RerankerBuilder(new ProbeReranker()).UseDistributedCache(new RecordingDistributedCache(), o => o.KeyPrefix = null!);

        Assert.Throws<ArgumentOutOfRangeException>(() => zeroExpiration.Build());
        Assert.Throws<ArgumentOutOfRangeException>(() => negativeSliding.Build());
        Assert.Throws<ArgumentOutOfRangeException>(() => noSize.Build());
        Assert.Throws<ArgumentNullException>(() => nullPrefix.Build());
        Assert.Throws<ArgumentNullException>(() => new CachingReranker(new ProbeReranker(), (IDistributedCache)null!));
    }

    [Test]
    public async Task Scores_answered_by_a_fallback_replica_are_returned_but_not_cached()
    {
        // A cache may sit above a fallback chain only when its members score alike (replicas of one model: one
        // fingerprint); even then what a fallback answered is not cached, so the primary's scores are used once it is back.
        var primary = new ProbeReranker("replica") { OnCall = _ => throw new HttpRequestException("down") };
        var secondary = new ProbeReranker("replica");
        using IReranker reranker = new RerankerBuilder(primary).UseMemoryCache().UseFallback(secondary).Build();

        RerankResponse degraded = await reranker.RerankAsync(Query, Texts);
        primary.OnCall = null;
        RerankResponse recovered = await reranker.RerankAsync(Query, Texts);
        RerankResponse cached = await reranker.RerankAsync(Query, Texts);

        Assert.That(degraded.AdditionalProperties![RerankResponseProperties.FallbackAttempts], Is.Not.Null, "the fallback answered");
        Assert.That(secondary.BackendCalls, Is.EqualTo(1));
        Assert.That(recovered.AdditionalProperties![RerankResponseProperties.CacheHits], Is.Zero, "the fallback's scores were not cached");
        Assert.That(primary.BackendCalls, Is.EqualTo(2), "the failed call and the recovered one reached the primary");
        Assert.That(cached.AdditionalProperties![RerankResponseProperties.CacheHits], Is.EqualTo(Texts.Length), "the primary's were");
    }

    private sealed class FakeClock(TimeProvider time) : ISystemClock
    {
        public DateTimeOffset UtcNow => time.GetUtcNow();
    }

    private sealed class CountingHybridCache(HybridCache inner) : HybridCache
    {
        public int Sets;

        public override ValueTask<T> GetOrCreateAsync<TState, T>(string key, TState state, Func<TState, CancellationToken, ValueTask<T>> factory, HybridCacheEntryOptions? options = null, IEnumerable<string>? tags = null, CancellationToken cancellationToken = default) =>
            inner.GetOrCreateAsync(key, state, factory, options, tags, cancellationToken);

        public override ValueTask SetAsync<T>(string key, T value, HybridCacheEntryOptions? options = null, IEnumerable<string>? tags = null, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref Sets);
            return inner.SetAsync(key, value, options, tags, cancellationToken);
        }

        public override ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default) => inner.RemoveAsync(key, cancellationToken);

        public override ValueTask RemoveByTagAsync(string tag, CancellationToken cancellationToken = default) => inner.RemoveByTagAsync(tag, cancellationToken);
    }
}
