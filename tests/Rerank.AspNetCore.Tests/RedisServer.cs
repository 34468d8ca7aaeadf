using StackExchange.Redis;

namespace Rerank.AspNetCore.Tests;

/// <summary>
/// Finds the real Redis the scale-out tests run against: <c>RERANK_REDIS</c>, else 127.0.0.1:6379. When it cannot be reached
/// the test fails under CI (<c>CI=true</c>, where <c>.ci/run</c> starts redis-server) and is skipped with a loud reason
/// elsewhere, as in Rerank.Tests.
/// </summary>
internal static class RedisServer
{
    public static string RequireAddress()
    {
        string address = Environment.GetEnvironmentVariable("RERANK_REDIS") is { Length: > 0 } configured ? configured : "127.0.0.1:6379";
        try
        {
            using ConnectionMultiplexer connection = ConnectionMultiplexer.Connect($"{address},connectTimeout=2000,abortConnect=true");
            connection.GetDatabase().Ping();
            return address;
        }
        catch (RedisException ex)
        {
            string reason =
                $"*** REDIS SCALE-OUT TESTS NOT RUN: no Redis server answered at {address} ({ex.GetType().Name}: {ex.Message}). " +
                "Start one with `redis-server --daemonize yes --bind 127.0.0.1`, or set RERANK_REDIS=host:port. ***";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail(reason + " CI=true, so a missing Redis is a failure.");
            }

            Assert.Ignore(reason);
            throw;
        }
    }
}
