using Microsoft.Extensions.Caching.StackExchangeRedis;
using Rerank.Testing;

namespace Rerank.Tests.Middleware.Caching;

/// <summary>The contract suite against the score cache over a real Redis.</summary>
[TestFixture]
[NonParallelizable]
public sealed class RedisCachingContractTests : RerankerContractTests
{
    private readonly string _prefix = $"rerank-contract:{Guid.NewGuid():N}:";
    private string _address = null!;
    private RedisCache _redis = null!;
    private TestReranker? _inner;

    protected override long BackendCallCount => _inner!.BackendCalls;

    [OneTimeSetUp]
    public void ConnectRedis()
    {
        _address = RedisServer.RequireAddress();
        _redis = new RedisCache(new RedisCacheOptions { Configuration = _address });
    }

    [OneTimeTearDown]
    public void DeleteKeys()
    {
        _redis?.Dispose();
        if (_address is not null)
        {
            RedisServer.DeleteKeys(_address, _prefix);
        }
    }

    protected override IReranker CreateReranker() =>
        new RerankerBuilder(_inner = new TestReranker()).UseDistributedCache(_redis, o => o.KeyPrefix = _prefix + Guid.NewGuid().ToString("N") + ":").Build();
}
