using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Rerank.Tests.Middleware.Caching;

/// <summary>The score cache against a real Redis: two service instances, each with its own service provider, share scores.</summary>
[TestFixture]
[NonParallelizable]
public sealed class RedisCachingTests
{
    private const string Query = "how do plants make energy from sunlight";

    private static readonly string[] Texts = Enumerable.Range(0, 12).Select(i => $"plants and sunlight, passage {i}").ToArray();

    private string _address = null!;
    private string _prefix = null!;

    [OneTimeSetUp]
    public void FindRedis() => _address = RedisServer.RequireAddress();

    [SetUp]
    public void UniquePrefix() => _prefix = $"rerank-test:{Guid.NewGuid():N}:";

    [TearDown]
    public void DeleteKeys() => RedisServer.DeleteKeys(_address, _prefix);

    [Test]
    public async Task Two_service_instances_sharing_Redis_reuse_each_others_scores_through_IDistributedCache()
    {
        (ServiceProvider services, ProbeReranker probe) instanceA = CreateInstance(b => b.UseDistributedCache(configure: o => o.KeyPrefix = _prefix));
        (ServiceProvider services, ProbeReranker probe) instanceB = CreateInstance(b => b.UseDistributedCache(configure: o => o.KeyPrefix = _prefix));
        using (instanceA.services)
        using (instanceB.services)
        {
            IReranker a = instanceA.services.GetRequiredService<IReranker>();
            IReranker b = instanceB.services.GetRequiredService<IReranker>();

            RerankResponse fromA = await a.RerankAsync(Query, Texts[..8]);
            RerankResponse fromB = await b.RerankAsync(Query, Texts[..8]);
            RerankResponse overlapping = await b.RerankAsync(Query, Texts[4..]);

            Assert.That(instanceA.probe.BackendCalls, Is.EqualTo(1));
            Assert.That(instanceB.probe.Calls, Has.Count.EqualTo(1), "instance B's first call was served entirely from Redis");
            Assert.That(instanceB.probe.Calls[0].Documents.Select(d => d.Text), Is.EqualTo(Texts[8..]), "then only the four new documents");
            Assert.That(fromB.Results.Select(r => (r.Index, r.Score)), Is.EqualTo(fromA.Results.Select(r => (r.Index, r.Score))));
            Assert.That(fromB.AdditionalProperties![RerankResponseProperties.CacheHits], Is.EqualTo(8));
            Assert.That(overlapping.Results, Has.Count.EqualTo(8));
        }
    }

    [Test]
    public async Task Two_service_instances_sharing_Redis_reuse_each_others_scores_through_HybridCache()
    {
        (ServiceProvider services, ProbeReranker probe) instanceA = CreateInstance(b => b.UseHybridCache(configure: o => o.KeyPrefix = _prefix), hybrid: true);
        (ServiceProvider services, ProbeReranker probe) instanceB = CreateInstance(b => b.UseHybridCache(configure: o => o.KeyPrefix = _prefix), hybrid: true);
        using (instanceA.services)
        using (instanceB.services)
        {
            RerankResponse fromA = await instanceA.services.GetRequiredService<IReranker>().RerankAsync(Query, Texts);
            RerankResponse fromB = await instanceB.services.GetRequiredService<IReranker>().RerankAsync(Query, Texts);

            Assert.That(instanceA.probe.BackendCalls, Is.EqualTo(1));
            Assert.That(instanceB.probe.BackendCalls, Is.Zero, "instance B's local tier was empty; the scores came from Redis");
            Assert.That(fromB.Results.Select(r => (r.Index, r.Score)), Is.EqualTo(fromA.Results.Select(r => (r.Index, r.Score))));
        }
    }

    [Test]
    public async Task Redis_holds_hashed_keys_with_8_byte_scores_and_an_expiry()
    {
        (ServiceProvider services, ProbeReranker _) instance = CreateInstance(b => b.UseDistributedCache(configure: o =>
        {
            o.KeyPrefix = _prefix;
            o.Expiration = TimeSpan.FromMinutes(30);
        }));
        using (instance.services)
        {
            await instance.services.GetRequiredService<IReranker>().RerankAsync(Query, Texts);
        }

        using ConnectionMultiplexer connection = await ConnectionMultiplexer.ConnectAsync(_address);
        IDatabase database = connection.GetDatabase();
        RedisKey[] keys = [.. connection.GetServers()[0].Keys(pattern: _prefix + "*")];
        Assert.That(keys, Has.Length.EqualTo(Texts.Length));
        foreach (RedisKey key in keys)
        {
            Assert.That(key.ToString(), Does.Match($"^{_prefix}[A-Za-z0-9_-]{{43}}$"));
            Assert.That(key.ToString(), Does.Not.Contain("plants").And.Not.Contain("sunlight"));
            TimeSpan? ttl = await database.KeyTimeToLiveAsync(key);
            Assert.That(ttl, Is.Not.Null.And.GreaterThan(TimeSpan.FromMinutes(29)).And.LessThanOrEqualTo(TimeSpan.FromMinutes(30)));
            RedisValue data = await database.HashGetAsync(key, "data");
            Assert.That(((byte[])data!).Length, Is.EqualTo(8), "the StackExchangeRedis cache keeps the value in the hash field 'data'");
        }
    }

    private static (ServiceProvider Services, ProbeReranker Probe) CreateInstance(Func<RerankerBuilder, RerankerBuilder> configure, bool hybrid = false)
    {
        var probe = new ProbeReranker();
        var services = new ServiceCollection();
        services.AddStackExchangeRedisCache(o => o.Configuration = RedisServer.RequireAddress());
        if (hybrid)
        {
            services.AddHybridCache();
        }

        configure(services.AddReranker(probe));
        return (services.BuildServiceProvider(), probe);
    }
}
