using Microsoft.Extensions.Time.Testing;

namespace Rerank.Tests.Hybrid;

/// <summary>Signals that throw, time out (on a fake clock) or are cancelled; and signals running concurrently.</summary>
[TestFixture]
[CancelAfter(30_000)]
public sealed class HybridSignalFailureTests
{
    private const double Tolerance = 1e-12;

    private static Func<string, IReadOnlyList<RerankDocument>, CancellationToken, ValueTask<IReadOnlyList<double>>> Throwing(Exception exception) =>
        async (_, _, _) =>
        {
            await Task.Yield();
            throw exception;
        };

    private static Func<string, IReadOnlyList<RerankDocument>, CancellationToken, ValueTask<IReadOnlyList<double>>> Hanging(TaskCompletionSource<bool>? started = null) =>
        async (_, _, token) =>
        {
            started?.TrySetResult(true);
            await Task.Delay(Timeout.Infinite, token);
            return [];
        };

    [Test]
    public void A_failing_signal_fails_the_call_by_default_and_cancels_the_others()
    {
        var error = new InvalidOperationException("feature store down");
        var slowStarted = new TaskCompletionSource<bool>();
        CancellationToken slowToken = default;
        using HybridReranker reranker = new HybridRerankerBuilder()
            .AddSignal("slow", async (_, _, token) =>
            {
                slowToken = token;
                slowStarted.TrySetResult(true);
                await Task.Delay(Timeout.Infinite, token);
                return [];
            })
            .AddSignal("broken", async (_, _, _) =>
            {
                await slowStarted.Task;
                throw error;
            })
            .AddBm25()
            .Build();

        var ex = Assert.ThrowsAsync<HybridSignalException>(() => reranker.RerankAsync("q", HybridTestData.Documents(3)));

        Assert.That(ex!.SignalName, Is.EqualTo("broken"));
        Assert.That(ex.TimedOut, Is.False);
        Assert.That(ex.InnerException, Is.SameAs(error));
        Assert.That(ex.Message, Does.Contain("broken").And.Contain("feature store down"));
        Assert.That(slowToken.IsCancellationRequested, Is.True, "the other signals are cancelled");
    }

    [Test]
    public async Task A_dropped_signal_is_reported_and_the_other_weights_are_scaled_up()
    {
        var error = new HttpRequestException("503");
        using HybridReranker reranker = new HybridRerankerBuilder()
            .AddSignal("remote", Throwing(error), 0.5)
            .AddSignal("a", HybridTestData.Values(0, 1, 0.5), 0.3)
            .AddSignal("b", HybridTestData.Values(1, 0, 0.5), 0.2)
            .OnSignalFailure(HybridSignalFailureBehavior.DropSignal)
            .Build();

        RerankResponse response = await reranker.RerankAsync("q", HybridTestData.Documents(3));
        RerankResult[] results = response.ByIndex();

        // Total weight 1.0, answered 0.5: a → 0.3 · 2 = 0.6, b → 0.2 · 2 = 0.4.
        // d0 = 0.6 · 0 + 0.4 · 1 = 0.4; d1 = 0.6; d2 = 0.6 · 0.5 + 0.4 · 0.5 = 0.5
        Assert.That(results.Select(r => r.Score), Is.EqualTo(new[] { 0.4, 0.6, 0.5 }).Within(Tolerance));
        Assert.That(results[0].ScoreComponents!.Select(c => (c.Name, c.Weight)), Is.EqualTo(new[] { ("a", 0.6), ("b", 0.4) }).Using<(string, double)>((x, y) => x.Item1 == y.Item1 && Math.Abs(x.Item2 - y.Item2) < Tolerance));
        var dropped = (IReadOnlyList<HybridSignalException>)response.AdditionalProperties![RerankResponseProperties.HybridDroppedSignals]!;
        Assert.That(dropped.Select(d => d.SignalName), Is.EqualTo(new[] { "remote" }));
        Assert.That(dropped[0].InnerException, Is.SameAs(error));
    }

    [Test]
    public async Task The_failure_behaviour_can_be_set_per_signal()
    {
        using HybridReranker dropOne = new HybridRerankerBuilder()
            .AddSignal("optional", Throwing(new InvalidOperationException()), configure: s => s.FailureBehavior = HybridSignalFailureBehavior.DropSignal)
            .AddBm25()
            .Build();
        using HybridReranker throwOne = new HybridRerankerBuilder()
            .AddSignal("required", Throwing(new InvalidOperationException()), configure: s => s.FailureBehavior = HybridSignalFailureBehavior.Throw)
            .AddBm25()
            .OnSignalFailure(HybridSignalFailureBehavior.DropSignal)
            .Build();

        RerankResponse response = await dropOne.RerankAsync("document", HybridTestData.Documents(2));

        Assert.That(response.AdditionalProperties, Does.ContainKey(RerankResponseProperties.HybridDroppedSignals));
        Assert.ThrowsAsync<HybridSignalException>(() => throwOne.RerankAsync("document", HybridTestData.Documents(2)));
    }

    [Test]
    public async Task No_dropped_signals_means_no_additional_properties()
    {
        using HybridReranker reranker = new HybridRerankerBuilder().AddBm25().OnSignalFailure(HybridSignalFailureBehavior.DropSignal).Build();

        RerankResponse response = await reranker.RerankAsync("document", HybridTestData.Documents(2));

        Assert.That(response.AdditionalProperties, Is.Null);
    }

    [Test]
    public void When_every_weighted_signal_is_dropped_the_call_fails_with_all_the_errors()
    {
        using HybridReranker reranker = new HybridRerankerBuilder()
            .AddSignal("a", Throwing(new InvalidOperationException("a down")))
            .AddSignal("b", (_, _) => throw new FormatException("b broken"))
            .AddSignal("shadow", HybridTestData.Values(1, 2), 0)
            .OnSignalFailure(HybridSignalFailureBehavior.DropSignal)
            .Build();

        var ex = Assert.ThrowsAsync<AggregateException>(() => reranker.RerankAsync("q", HybridTestData.Documents(2)));

        Assert.That(ex!.Message, Does.Contain("a, b"));
        Assert.That(ex.InnerExceptions.Cast<HybridSignalException>().Select(e => e.SignalName), Is.EquivalentTo(new[] { "a", "b" }));
    }

    [Test]
    public async Task Synchronous_signals_that_throw_are_handled_the_same_way()
    {
        using HybridReranker reranker = new HybridRerankerBuilder()
            .AddSignal("sync", (_, document) => document.Id == "d1" ? throw new InvalidDataException("bad row") : 1)
            .AddBm25()
            .OnSignalFailure(HybridSignalFailureBehavior.DropSignal)
            .Build();

        RerankResponse response = await reranker.RerankAsync("document", HybridTestData.Documents(3));

        var dropped = (IReadOnlyList<HybridSignalException>)response.AdditionalProperties![RerankResponseProperties.HybridDroppedSignals]!;
        Assert.That(dropped.Single().InnerException, Is.InstanceOf<InvalidDataException>());
        Assert.That(response.Results[0].ScoreComponents!.Select(c => c.Name), Is.EqualTo(new[] { "bm25" }));
    }

    [Test]
    public async Task A_slow_recency_selector_stops_at_its_timeout()
    {
        // Each timestamp lookup takes the whole timeout on the fake clock: the signal must stop at its next check, not read all 200.
        var clock = new FakeTimeProvider();
        int lookups = 0;
        using HybridReranker reranker = new HybridRerankerBuilder()
            .AddRecency(TimeSpan.FromDays(1), _ =>
            {
                Interlocked.Increment(ref lookups);
                clock.Advance(TimeSpan.FromSeconds(1));
                return clock.GetUtcNow();
            }, configure: s => s.Timeout = TimeSpan.FromSeconds(1))
            .AddBm25()
            .OnSignalFailure(HybridSignalFailureBehavior.DropSignal)
            .UseTimeProvider(clock)
            .Build();

        RerankResponse response = await reranker.RerankAsync("document", HybridTestData.Documents(200));

        var dropped = (IReadOnlyList<HybridSignalException>)response.AdditionalProperties![RerankResponseProperties.HybridDroppedSignals]!;
        Assert.That(dropped.Single().SignalName, Is.EqualTo("recency"));
        Assert.That(dropped[0].TimedOut, Is.True);
        Assert.That(lookups, Is.EqualTo(64), "stopped at the first check after the timeout");
    }

    [Test]
    public void The_callers_cancellation_stops_a_slow_recency_selector()
    {
        using var cts = new CancellationTokenSource();
        int lookups = 0;
        using HybridReranker reranker = new HybridRerankerBuilder()
            .AddRecency(TimeSpan.FromDays(1), _ =>
            {
                Interlocked.Increment(ref lookups);
                cts.Cancel();
                return DateTimeOffset.UtcNow;
            })
            .OnSignalFailure(HybridSignalFailureBehavior.DropSignal)
            .Build();

        Assert.CatchAsync<OperationCanceledException>(() => reranker.RerankAsync("document", HybridTestData.Documents(200), cancellationToken: cts.Token));
        Assert.That(lookups, Is.EqualTo(64));
    }

    [Test]
    public async Task A_signal_returning_the_wrong_number_of_values_is_a_failure()
    {
        using HybridReranker reranker = new HybridRerankerBuilder()
            .AddSignal("short", (_, _, _) => ValueTask.FromResult<IReadOnlyList<double>>([1.0]))
            .AddSignal("null", (_, _, _) => ValueTask.FromResult<IReadOnlyList<double>>(null!))
            .AddBm25()
            .OnSignalFailure(HybridSignalFailureBehavior.DropSignal)
            .Build();

        RerankResponse response = await reranker.RerankAsync("document", HybridTestData.Documents(3));

        var dropped = (IReadOnlyList<HybridSignalException>)response.AdditionalProperties![RerankResponseProperties.HybridDroppedSignals]!;
        Assert.That(dropped.Select(d => d.SignalName), Is.EqualTo(new[] { "short", "null" }));
        Assert.That(dropped[0].InnerException!.Message, Does.Contain("1 scores for 3 documents"));
    }

    [Test]
    public async Task A_signal_that_times_out_is_dropped_on_the_fake_clock()
    {
        var clock = new FakeTimeProvider();
        var started = new TaskCompletionSource<bool>();
        using HybridReranker reranker = new HybridRerankerBuilder()
            .AddSignal("slow", Hanging(started), 0.5, configure: s => s.Timeout = TimeSpan.FromMilliseconds(200))
            .AddSignal("fast", HybridTestData.Values(2, 1), 0.5)
            .OnSignalFailure(HybridSignalFailureBehavior.DropSignal)
            .UseTimeProvider(clock)
            .Build();

        Task<RerankResponse> call = reranker.RerankAsync("q", HybridTestData.Documents(2));
        await started.Task;
        clock.Advance(TimeSpan.FromMilliseconds(199));
        Assert.That(call.IsCompleted, Is.False, "not yet timed out");
        clock.Advance(TimeSpan.FromMilliseconds(1));
        RerankResponse response = await call;

        var dropped = (IReadOnlyList<HybridSignalException>)response.AdditionalProperties![RerankResponseProperties.HybridDroppedSignals]!;
        Assert.That(dropped.Single().SignalName, Is.EqualTo("slow"));
        Assert.That(dropped[0].TimedOut, Is.True);
        Assert.That(dropped[0].InnerException, Is.InstanceOf<TimeoutException>());
        Assert.That(response.Results.Select(r => r.Index), Is.EqualTo(new[] { 0, 1 }));
        Assert.That(response.Results[0].Score, Is.EqualTo(1), "fast's weight doubles to 1");
    }

    [Test]
    public async Task A_signal_that_ignores_its_token_is_abandoned_at_the_timeout()
    {
        var clock = new FakeTimeProvider();
        var never = new TaskCompletionSource<IReadOnlyList<double>>();
        using HybridReranker reranker = new HybridRerankerBuilder()
            .AddSignal("deaf", (_, _, _) => new ValueTask<IReadOnlyList<double>>(never.Task))
            .AddBm25()
            .OnSignalFailure(HybridSignalFailureBehavior.DropSignal)
            .UseSignalTimeout(TimeSpan.FromSeconds(1))
            .UseTimeProvider(clock)
            .Build();

        Task<RerankResponse> call = reranker.RerankAsync("document", HybridTestData.Documents(2));
        clock.Advance(TimeSpan.FromSeconds(1));
        RerankResponse response = await call;

        Assert.That(((IReadOnlyList<HybridSignalException>)response.AdditionalProperties![RerankResponseProperties.HybridDroppedSignals]!).Single().TimedOut, Is.True);
        never.SetException(new InvalidOperationException("late failure, observed and ignored"));
    }

    [Test]
    public void A_timeout_fails_the_call_under_Throw()
    {
        var clock = new FakeTimeProvider();
        using HybridReranker reranker = new HybridRerankerBuilder()
            .AddSignal("slow", Hanging())
            .UseSignalTimeout(TimeSpan.FromSeconds(2))
            .UseTimeProvider(clock)
            .Build();

        Task<RerankResponse> call = reranker.RerankAsync("q", HybridTestData.Documents(2));
        clock.Advance(TimeSpan.FromSeconds(2));

        var ex = Assert.ThrowsAsync<HybridSignalException>(() => call);
        Assert.That(ex!.TimedOut, Is.True);
        Assert.That(ex.SignalName, Is.EqualTo("slow"));
        Assert.That(ex.Message, Does.Contain("timeout"));
    }

    [Test]
    public async Task A_per_signal_timeout_overrides_the_default_and_infinite_means_none()
    {
        var clock = new FakeTimeProvider();
        var started = new TaskCompletionSource<bool>();
        var release = new TaskCompletionSource<IReadOnlyList<double>>();
        using HybridReranker reranker = new HybridRerankerBuilder()
            .AddSignal("patient", async (_, _, _) =>
            {
                started.TrySetResult(true);
                return await release.Task;
            }, configure: s => s.Timeout = Timeout.InfiniteTimeSpan)
            .UseSignalTimeout(TimeSpan.FromSeconds(1))
            .UseTimeProvider(clock)
            .Build();

        Task<RerankResponse> call = reranker.RerankAsync("q", HybridTestData.Documents(2));
        await started.Task;
        clock.Advance(TimeSpan.FromHours(1));
        Assert.That(call.IsCompleted, Is.False);
        release.SetResult([1.0, 2.0]);

        RerankResponse response = await call;
        Assert.That(response.Results[0].Index, Is.EqualTo(1));
    }

    [Test]
    public async Task The_callers_cancellation_is_never_swallowed_as_a_signal_failure()
    {
        using var cts = new CancellationTokenSource();
        var started = new TaskCompletionSource<bool>();
        using HybridReranker reranker = new HybridRerankerBuilder()
            .AddSignal("slow", Hanging(started))
            .AddBm25()
            .OnSignalFailure(HybridSignalFailureBehavior.DropSignal)
            .Build();

        Task<RerankResponse> call = reranker.RerankAsync("q", HybridTestData.Documents(2), cancellationToken: cts.Token);
        await started.Task;
        await cts.CancelAsync();

        var ex = Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), () => call);
        Assert.That(((OperationCanceledException)ex!).CancellationToken, Is.EqualTo(cts.Token));
    }

    [Test]
    public async Task A_signal_that_cancels_itself_is_a_failure_not_a_cancellation()
    {
        using HybridReranker reranker = new HybridRerankerBuilder()
            .AddSignal("http", Throwing(new TaskCanceledException("HttpClient.Timeout elapsed")))
            .AddBm25()
            .OnSignalFailure(HybridSignalFailureBehavior.DropSignal)
            .Build();

        RerankResponse response = await reranker.RerankAsync("document", HybridTestData.Documents(2));

        var dropped = (IReadOnlyList<HybridSignalException>)response.AdditionalProperties![RerankResponseProperties.HybridDroppedSignals]!;
        Assert.That(dropped.Single().InnerException, Is.InstanceOf<TaskCanceledException>());
        Assert.That(dropped[0].TimedOut, Is.False);
    }

    [Test]
    public async Task Asynchronous_signals_run_concurrently()
    {
        // Each signal waits until the other has started: run one after the other, this would never finish.
        var aStarted = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var bStarted = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        using HybridReranker reranker = new HybridRerankerBuilder()
            .AddSignal("a", async (_, documents, token) =>
            {
                aStarted.SetResult(true);
                await bStarted.Task.WaitAsync(token);
                return [.. documents.Select((_, i) => (double)i)];
            })
            .AddBm25()
            .AddSignal("b", async (_, documents, token) =>
            {
                bStarted.SetResult(true);
                await aStarted.Task.WaitAsync(token);
                return [.. documents.Select((_, i) => (double)-i)];
            })
            .UseSignalTimeout(TimeSpan.FromSeconds(20))
            .Build();

        RerankResponse response = await reranker.RerankAsync("document", HybridTestData.Documents(3));

        Assert.That(response.Results[0].ScoreComponents!.Select(c => c.Name), Is.EqualTo(new[] { "a", "bm25", "b" }));
    }

    [Test]
    public async Task Concurrent_calls_with_failing_and_slow_signals_do_not_interfere()
    {
        int calls = 0;
        using HybridReranker reranker = new HybridRerankerBuilder()
            .AddSignal("flaky", async (_, documents, token) =>
            {
                await Task.Delay(1, token);
                return Interlocked.Increment(ref calls) % 2 == 0 ? throw new InvalidOperationException("flaky") : [.. documents.Select(d => (double)d.Text.Length)];
            })
            .AddBm25()
            .OnSignalFailure(HybridSignalFailureBehavior.DropSignal)
            .Build();

        RerankResponse[] responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            Task.Run(() => reranker.RerankAsync($"document {i % 7}", HybridTestData.Documents(20)))));

        Assert.That(responses.Select(r => r.Results.Count), Is.All.EqualTo(20));
        int droppedCount = responses.Count(r => r.AdditionalProperties is not null);
        Assert.That(droppedCount, Is.EqualTo(25), "every second call of the flaky signal fails, and only those calls report it");
        Assert.That(responses.SelectMany(r => r.Results).Select(r => r.Score), Is.All.Not.NaN);
    }
}
