using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Rerank.Tests.Middleware.Caching;

/// <summary>A slow or hanging distributed cache costs bounded requests and bounded time, never an unbounded wait.</summary>
[TestFixture]
public sealed class CacheBoundsTests
{
    private const string Query = "plants make energy";

    private static readonly string[] Texts = [.. Enumerable.Range(0, 100).Select(i => $"document {i} about plants")];

    [Test]
    public async Task Reads_are_bounded_in_flight_and_after_the_read_timeout_the_unread_documents_are_scored()
    {
        var cache = new HangingDistributedCache(expectedPending: 8);
        var time = new FakeTimeProvider();
        var logger = new FakeLogger();
        var probe = new ProbeReranker();
        using IReranker reranker = new CachingReranker(
            probe,
            cache,
            new CachingRerankerOptions { MaxConcurrentRequests = 8, ReadTimeout = TimeSpan.FromMilliseconds(250), TimeProvider = time },
            logger);

        Task<RerankResponse> call = reranker.RerankAsync(Query, Texts);
        await cache.Pending.Task;
        Assert.That(cache.Reads, Is.EqualTo(8), "no more than MaxConcurrentRequests GETs start while those hang");
        Assert.That(call.IsCompleted, Is.False);

        time.Advance(TimeSpan.FromMilliseconds(250));
        RerankResponse response = await call;

        Assert.That(cache.Reads, Is.EqualTo(8), "after the timeout no further GET is sent");
        Assert.That(cache.MaxInFlight, Is.EqualTo(8));
        Assert.That(response.Results, Has.Count.EqualTo(Texts.Length));
        Assert.That(response.AdditionalProperties![RerankResponseProperties.CacheMisses], Is.EqualTo(Texts.Length), "unread entries are misses");
        Assert.That(probe.Calls.Single().Documents, Has.Count.EqualTo(Texts.Length));
        Assert.That(cache.Writes, Is.EqualTo(Texts.Length), "the scores are still written");
        Assert.That(
            logger.Collector.GetSnapshot().Single(r => r.Level == LogLevel.Warning).Message,
            Is.EqualTo("The score cache (IDistributedCache) did not answer 100 reads within the read timeout (250 ms); they are scored again."));
    }

    [Test]
    public async Task A_hanging_write_is_abandoned_after_the_write_timeout_and_the_call_answers()
    {
        var cache = new HangingDistributedCache(expectedPending: 4) { HangReads = false, HangWrites = true };
        var time = new FakeTimeProvider();
        var logger = new FakeLogger();
        using IReranker reranker = new CachingReranker(
            new ProbeReranker(),
            cache,
            new CachingRerankerOptions { MaxConcurrentRequests = 4, WriteTimeout = TimeSpan.FromSeconds(1), TimeProvider = time },
            logger);

        Task<RerankResponse> call = reranker.RerankAsync(Query, Texts);
        await cache.Pending.Task;
        time.Advance(TimeSpan.FromSeconds(1));
        RerankResponse response = await call;

        Assert.That(response.Results, Has.Count.EqualTo(Texts.Length));
        Assert.That(cache.MaxInFlight, Is.EqualTo(4));
        Assert.That(logger.Collector.GetSnapshot().Single(r => r.Level == LogLevel.Warning).Message, Does.Contain("did not store 100 entries within the write timeout (1000 ms)"));
    }

    [Test]
    public void The_bounds_are_validated_when_the_pipeline_is_built()
    {
        var probe = new ProbeReranker();
        Assert.Throws<ArgumentOutOfRangeException>(() => new CachingReranker(probe, new HangingDistributedCache(1), new CachingRerankerOptions { MaxConcurrentRequests = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CachingReranker(probe, new HangingDistributedCache(1), new CachingRerankerOptions { ReadTimeout = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CachingReranker(probe, new HangingDistributedCache(1), new CachingRerankerOptions { WriteTimeout = TimeSpan.FromSeconds(-2) }));
        Assert.DoesNotThrow(() => new CachingReranker(probe, new HangingDistributedCache(1), new CachingRerankerOptions { ReadTimeout = null, WriteTimeout = System.Threading.Timeout.InfiniteTimeSpan }).Dispose());
    }

    /// <summary>A cache whose requests never complete and ignore cancellation, as a wedged connection does; it counts what is in flight.</summary>
    private sealed class HangingDistributedCache(int expectedPending) : IDistributedCache
    {
        private readonly TaskCompletionSource _never = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _inFlight;
        private int _maxInFlight;
        private int _reads;
        private int _writes;

        public TaskCompletionSource Pending { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool HangReads { get; init; } = true;

        public bool HangWrites { get; init; }

        public int Reads => Volatile.Read(ref _reads);

        public int Writes => Volatile.Read(ref _writes);

        public int MaxInFlight => Volatile.Read(ref _maxInFlight);

        public async Task<byte[]?> GetAsync(string key, CancellationToken token = default)
        {
            Interlocked.Increment(ref _reads);
            if (HangReads)
            {
                await HangAsync();
            }

            return null;
        }

        public async Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
        {
            Interlocked.Increment(ref _writes);
            if (HangWrites)
            {
                await HangAsync();
            }
        }

        public byte[]? Get(string key) => throw new NotSupportedException();

        public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => throw new NotSupportedException();

        public void Refresh(string key) => throw new NotSupportedException();

        public Task RefreshAsync(string key, CancellationToken token = default) => throw new NotSupportedException();

        public void Remove(string key) => throw new NotSupportedException();

        public Task RemoveAsync(string key, CancellationToken token = default) => throw new NotSupportedException();

        private Task HangAsync()
        {
            int inFlight = Interlocked.Increment(ref _inFlight);
            int max;
            while (inFlight > (max = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, inFlight, max) != max)
            {
            }

            if (inFlight >= expectedPending)
            {
                Pending.TrySetResult();
            }

            return _never.Task;
        }
    }
}
