using Microsoft.Extensions.Time.Testing;
using Rerank.Testing;

namespace Rerank.Tests.Middleware.Synchronous;

/// <summary>
/// Layers that must keep going while the inner call runs (a timeout that fires, signals that overlap, a coalesced group
/// sent for others) do so over a reranker that computes on the caller's thread. Ordering is by gates; the 30-second
/// waits only keep a broken layer from hanging the run, they never decide a test.
/// </summary>
public sealed class SynchronousInnerTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);
    private static readonly RerankDocument[] Documents = [new("plants make energy from sunlight"), new("the stock market fell")];

    [Test]
    public void A_timeout_over_a_blocking_synchronous_inner_that_ignores_its_token_throws_RerankTimeoutException()
    {
        var time = new FakeTimeProvider();
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var inner = new SynchronousTestReranker { OnCall = _ => { entered.Set(); release.Wait(Safety); } };
        using IReranker reranker = new RerankerBuilder(inner).UseTimeout(TimeSpan.FromMilliseconds(200), time).Build();
        try
        {
            Task<RerankResponse> call = reranker.RerankAsync("plants", Documents);
            Assert.That(entered.Wait(Safety), Is.True, "the inner call started");
            Assert.That(call.IsCompleted, Is.False, "the layer returned while the inner reranker computes on another thread");

            time.Advance(TimeSpan.FromMilliseconds(200));

            RerankTimeoutException? timedOut = Assert.ThrowsAsync<RerankTimeoutException>(() => call);
            Assert.That(timedOut!.Timeout, Is.EqualTo(TimeSpan.FromMilliseconds(200)));
        }
        finally
        {
            release.Set();
        }
    }

    [Test]
    public void A_timeout_over_a_synchronous_inner_that_throws_when_its_token_fires_throws_RerankTimeoutException()
    {
        // The ONNX reranker's shape: it watches the token while it computes and throws OperationCanceledException itself.
        var time = new FakeTimeProvider();
        using var entered = new ManualResetEventSlim();
        var inner = new SynchronousTestReranker
        {
            OnCall = token =>
            {
                entered.Set();
                token.WaitHandle.WaitOne(Safety);
                token.ThrowIfCancellationRequested();
            },
        };
        using IReranker reranker = new RerankerBuilder(inner).UseTimeout(TimeSpan.FromMilliseconds(200), time).Build();

        Task<RerankResponse> call = reranker.RerankAsync("plants", Documents);
        Assert.That(entered.Wait(Safety), Is.True, "the inner call started");
        time.Advance(TimeSpan.FromMilliseconds(200));

        Assert.ThrowsAsync<RerankTimeoutException>(() => call);
    }

    [Test]
    public async Task The_callers_cancellation_over_a_synchronous_inner_stays_an_OperationCanceledException()
    {
        using var entered = new ManualResetEventSlim();
        using var cts = new CancellationTokenSource();
        var inner = new SynchronousTestReranker
        {
            OnCall = token =>
            {
                entered.Set();
                token.WaitHandle.WaitOne(Safety);
                token.ThrowIfCancellationRequested();
            },
        };
        using IReranker reranker = new RerankerBuilder(inner).UseTimeout(TimeSpan.FromMinutes(5), new FakeTimeProvider()).Build();

        Task<RerankResponse> call = reranker.RerankAsync("plants", Documents, cancellationToken: cts.Token);
        Assert.That(entered.Wait(Safety), Is.True);
        await cts.CancelAsync();

        Exception? thrown = Assert.CatchAsync(() => call);
        Assert.That(thrown, Is.InstanceOf<OperationCanceledException>().And.Not.InstanceOf<RerankTimeoutException>());
    }

    [Test]
    public async Task A_synchronous_throw_of_the_primary_reaches_the_fallback()
    {
        var primary = new SynchronousTestReranker { OnCall = _ => throw new InvalidOperationException("model crashed") };
        using IReranker reranker = new RerankerBuilder(primary).UseFallback(new FirstStageOrderReranker()).Build();

        RerankResponse response = await reranker.RerankAsync("plants", Documents);

        Assert.That(response.AdditionalProperties![RerankResponseProperties.FallbackAnsweredBy], Is.Not.EqualTo(FallbackReranker.NameOf(primary)));
    }

    [Test]
    public async Task Hybrid_signals_over_synchronous_rerankers_run_at_the_same_time()
    {
        // Each signal waits, on its own thread, until the other has started: run one after another, the first never returns.
        using var bothRunning = new Barrier(2);
        void MeetTheOther(CancellationToken _)
        {
            if (!bothRunning.SignalAndWait(Safety))
            {
                throw new InvalidOperationException("The other signal never started: the signals ran one after another.");
            }
        }

        using IReranker hybrid = new HybridRerankerBuilder()
            .AddReranker(new SynchronousTestReranker { OnCall = MeetTheOther }, 0.5)
            .AddReranker(new SynchronousTestReranker { OnCall = MeetTheOther }, 0.5)
            .Build();

        RerankResponse response = await hybrid.RerankAsync("plants energy sunlight", Documents);

        Assert.That(response.Results, Has.Count.EqualTo(2));
        Assert.That(response.AdditionalProperties?.ContainsKey(RerankResponseProperties.HybridDroppedSignals) ?? false, Is.False, "both signals answered");
    }

    [Test]
    public async Task A_hybrid_signal_timeout_fires_over_a_blocking_synchronous_reranker()
    {
        var time = new FakeTimeProvider();
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        using IReranker hybrid = new HybridRerankerBuilder()
            .AddReranker(new SynchronousTestReranker { OnCall = _ => { entered.Set(); release.Wait(Safety); } }, 0.5, configure: s => s.Timeout = TimeSpan.FromSeconds(1))
            .AddFirstStageScore(0.5)
            .OnSignalFailure(HybridSignalFailureBehavior.DropSignal)
            .UseTimeProvider(time)
            .Build();
        try
        {
            RerankDocument[] documents = [new("plants") { Score = 0.9 }, new("stocks") { Score = 0.1 }];
            Task<RerankResponse> call = hybrid.RerankAsync("plants", documents);
            Assert.That(entered.Wait(Safety), Is.True, "the reranker signal started");
            time.Advance(TimeSpan.FromSeconds(1));

            RerankResponse response = await call;

            var dropped = (IReadOnlyList<HybridSignalException>)response.AdditionalProperties![RerankResponseProperties.HybridDroppedSignals]!;
            Assert.That(dropped.Single().TimedOut, Is.True);
            Assert.That(response.Results[0].Index, Is.Zero, "ranked by the first-stage score alone");
        }
        finally
        {
            release.Set();
        }
    }

    [Test]
    public async Task A_full_coalesced_group_over_a_blocking_synchronous_inner_does_not_hold_the_caller_that_filled_it()
    {
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var inner = new SynchronousTestReranker { OnCall = _ => { entered.Set(); release.Wait(Safety); } };
        using IReranker reranker = new RerankerBuilder(inner)
            .UseBatching(2, o => { o.CoalescingWindow = TimeSpan.FromMinutes(1); o.TimeProvider = new FakeTimeProvider(); })
            .Build();
        try
        {
            Task<RerankResponse> first = reranker.RerankAsync("plants", [Documents[0]]);
            Task<RerankResponse> second = reranker.RerankAsync("plants", [Documents[1]]);

            Assert.That(entered.Wait(Safety), Is.True, "the full group was sent");
            Assert.That(second.IsCompleted, Is.False, "the caller that filled the group got its task back while the group's call runs");
            release.Set();
            RerankResponse[] responses = await Task.WhenAll(first, second);
            Assert.That(responses.Select(r => r.Results.Single().Document), Is.EqualTo(Documents));
        }
        finally
        {
            release.Set();
        }
    }
}
