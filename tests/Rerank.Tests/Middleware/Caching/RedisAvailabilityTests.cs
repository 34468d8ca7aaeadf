namespace Rerank.Tests.Middleware.Caching;

/// <summary>
/// Says in the normal <c>dotnet test</c> output why the Redis tests were skipped. The default console logger prints a
/// skipped test's name but not its reason, so without Redis this test's name is the reason.
/// </summary>
[TestFixture]
public sealed class RedisAvailabilityTests
{
    private static IEnumerable<TestCaseData> Availability()
    {
        yield return RedisServer.Problem is null
            ? new TestCaseData(RedisServer.Address).SetName($"Redis answers at {RedisServer.Address}, so the Redis cache tests run")
            : new TestCaseData(RedisServer.Address).SetName(
                $"REDIS CACHE TESTS SKIPPED - no Redis at {RedisServer.Address} - start redis-server (apt-get install -y redis-server; redis-server --daemonize yes --bind 127.0.0.1) or set RERANK_REDIS=host:port");
    }

    [TestCaseSource(nameof(Availability))]
    public void Redis_availability(string address)
    {
        Assert.That(RedisServer.RequireAddress(), Is.EqualTo(address));
    }
}
