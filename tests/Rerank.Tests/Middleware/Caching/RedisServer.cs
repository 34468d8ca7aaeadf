using StackExchange.Redis;

namespace Rerank.Tests.Middleware.Caching;

/// <summary>
/// Finds the real Redis the distributed-cache tests run against: <c>RERANK_REDIS</c>, else 127.0.0.1:6379. When it
/// cannot be reached the test fails under CI (<c>CI=true</c>, where <c>.ci/run</c> starts redis-server) and is skipped
/// with a loud reason elsewhere; it never passes silently.
/// </summary>
public static class RedisServer
{
    private static readonly Lazy<(string Address, string? Problem)> Availability = new(Probe);

    /// <summary>Gets the address the tests use: <c>RERANK_REDIS</c>, else 127.0.0.1:6379.</summary>
    public static string Address => Availability.Value.Address;

    /// <summary>Gets why Redis tests cannot run (what failed and how to start Redis), or <see langword="null"/> when Redis answered.</summary>
    public static string? Problem => Availability.Value.Problem;

    public static string RequireAddress()
    {
        if (Problem is string reason)
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail(reason + " CI=true, so a missing Redis is a failure.");
            }

            Assert.Ignore(reason);
        }

        return Address;
    }

    private static (string Address, string? Problem) Probe()
    {
        string address = Environment.GetEnvironmentVariable("RERANK_REDIS") is { Length: > 0 } configured ? configured : "127.0.0.1:6379";
        try
        {
            using ConnectionMultiplexer connection = ConnectionMultiplexer.Connect($"{address},connectTimeout=2000,abortConnect=true");
            connection.GetDatabase().Ping();
            return (address, null);
        }
        catch (RedisException ex)
        {
            return (address,
                $"*** REDIS TESTS NOT RUN: no Redis server answered at {address} ({ex.GetType().Name}: {ex.Message}). " +
                "Start one with `apt-get install -y redis-server && redis-server --daemonize yes --bind 127.0.0.1`, or set RERANK_REDIS=host:port. ***");
        }
    }

    /// <summary>Deletes every key that starts with <paramref name="prefix"/>.</summary>
    public static void DeleteKeys(string address, string prefix)
    {
        using ConnectionMultiplexer connection = ConnectionMultiplexer.Connect(address);
        IServer server = connection.GetServers()[0];
        IDatabase database = connection.GetDatabase();
        foreach (RedisKey key in server.Keys(pattern: prefix + "*"))
        {
            database.KeyDelete(key);
        }
    }
}
