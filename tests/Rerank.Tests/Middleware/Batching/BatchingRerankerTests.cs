using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Rerank.Tests.Middleware.Batching;

/// <summary>Splitting, merging and coalescing on a fake clock.</summary>
[TestFixture]
public sealed class BatchingRerankerTests
{
    private const string Query = "plants make energy";

    private FakeTimeProvider _time = null!;
    private ProbeReranker _probe = null!;

    [SetUp]
    public void SetUp()
    {
        _time = new FakeTimeProvider();
        _probe = new ProbeReranker();
    }

    [Test]
    public async Task Ten_thousand_documents_go_in_bounded_batches_with_bounded_concurrency_and_merge_into_one_ranking()
    {
        int inFlight = 0, maxInFlight = 0, inFlightDocuments = 0, maxInFlightDocuments = 0;
        _probe.OnCall = async call =>
        {
            int now = Interlocked.Increment(ref inFlight);
            int documents = Interlocked.Add(ref inFlightDocuments, call.Documents.Count);
            InterlockedMax(ref maxInFlight, now);
            InterlockedMax(ref maxInFlightDocuments, documents);
            await Task.Yield();
            await Task.Yield();
            Interlocked.Add(ref inFlightDocuments, -call.Documents.Count);
            Interlocked.Decrement(ref inFlight);
        };
        using IReranker reranker = new RerankerBuilder(_probe).UseBatching(32, o => o.MaxConcurrency = 4).Build();
        List<RerankDocument> documents = Enumerable.Range(0, 10_000).Select(i => new RerankDocument($"passage {i} {(i % 7 == 0 ? "plants" : "")} {(i % 3 == 0 ? "energy" : "")}")).ToList();
        var options = new RerankOptions { TopN = 50, ScoreThreshold = 0.3 };

        RerankResponse response = await reranker.RerankAsync(Query, documents, options);

        Assert.That(_probe.Calls, Has.Count.EqualTo(313), "ceil(10,000 / 32)");
        Assert.That(_probe.Calls.Select(c => c.Documents.Count), Is.All.LessThanOrEqualTo(32));
        Assert.That(_probe.Calls.Select(c => c.Options?.TopN), Is.All.Null, "TopN and the threshold apply after the merge");
        RerankDocument[] sent = [.. _probe.Calls.SelectMany(c => c.Documents)];
        Assert.That(sent, Has.Length.EqualTo(documents.Count));
        Assert.That(new HashSet<RerankDocument>(sent, ReferenceEqualityComparer.Instance).SetEquals(documents), Is.True, "each document sent exactly once");
        Assert.That(maxInFlight, Is.LessThanOrEqualTo(4));
        Assert.That(maxInFlightDocuments, Is.LessThanOrEqualTo(4 * 32), "never more than MaxConcurrency × MaxBatchSize documents before the model");

        double[] expected = documents.Select(d => ProbeReranker.Score(Query, d.Text)).ToArray();
        IReadOnlyList<RerankResult> reference = RerankContract.Rank(documents, expected, options);
        Assert.That(response.Results.Select(r => (r.Index, r.Score)), Is.EqualTo(reference.Select(r => (r.Index, r.Score))));
        Assert.That(response.Results.Zip(reference).All(pair => ReferenceEquals(pair.First.Document, pair.Second.Document)), Is.True);
        Assert.That(response.Usage!.InputTokenCount, Is.EqualTo(10_000), "usage is summed over the batches");
        Assert.That(response.AdditionalProperties![RerankResponseProperties.Batches], Is.EqualTo(313));
        Assert.That(response.ModelId, Is.EqualTo("probe-model"));
    }

    [Test]
    public async Task A_cancelled_split_request_stops_sending_batches()
    {
        using var cts = new CancellationTokenSource();
        _probe.OnCall = call =>
        {
            if (_probe.BackendCalls == 2)
            {
                cts.Cancel();
            }

            return Task.CompletedTask;
        };
        // One batch at a time: with the default MaxConcurrency (4) batches overlap, and "the second call cancels" is a race
        // (two calls can both see a count of 3), which made this test fail now and then.
        using IReranker reranker = new RerankerBuilder(_probe).UseBatching(10, o =>
        {
            o.CoalescingWindow = TimeSpan.Zero;
            o.MaxConcurrency = 1;
        }).Build();

        Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), () => reranker.RerankAsync(Query, Enumerable.Range(0, 100).Select(i => $"d{i}"), cancellationToken: cts.Token));
        Assert.That(_probe.BackendCalls, Is.EqualTo(2));
    }

    [Test]
    public async Task Concurrent_small_requests_with_the_same_query_share_one_call_when_the_window_closes()
    {
        using IReranker reranker = CreateCoalescing();
        string[] a = ["plants one", "two", "three", "energy four", "five"];
        string[] b = ["plants make energy", "seven"];
        string[] c = ["eight", "plants nine", "ten"];

        Task<RerankResponse> first = reranker.RerankAsync(Query, a);
        Task<RerankResponse> second = reranker.RerankAsync(Query, b, new RerankOptions { TopN = 1 });
        Task<RerankResponse> third = reranker.RerankAsync(Query, c, new RerankOptions { ScoreThreshold = 0.3 });
        Assert.That(_probe.BackendCalls, Is.Zero, "waiting for the window");
        _time.Advance(TimeSpan.FromMilliseconds(5));
        RerankResponse[] responses = await Task.WhenAll(first, second, third);

        ProbeCall call = _probe.Calls.Single();
        Assert.That(call.Documents.Select(d => d.Text), Is.EqualTo(a.Concat(b).Concat(c)));
        AssertRankedAlone(responses[0], a, null);
        AssertRankedAlone(responses[1], b, new RerankOptions { TopN = 1 });
        AssertRankedAlone(responses[2], c, new RerankOptions { ScoreThreshold = 0.3 });
        Assert.That(responses.Select(r => r.AdditionalProperties![RerankResponseProperties.CoalescedRequests]), Is.All.EqualTo(3));
        Assert.That(responses.Select(r => r.Usage!.InputTokenCount), Is.All.EqualTo(10), "each carries the shared call's usage");
        Assert.That(responses[0].Usage, Is.Not.SameAs(responses[1].Usage));
    }

    [Test]
    public async Task Requests_with_different_queries_or_models_are_not_coalesced()
    {
        using IReranker reranker = CreateCoalescing();

        Task<RerankResponse> first = reranker.RerankAsync(Query, ["a"]);
        Task<RerankResponse> second = reranker.RerankAsync("another query", ["b"]);
        Task<RerankResponse> third = reranker.RerankAsync(Query, ["c"], new RerankOptions { ModelId = "other" });
        Task<RerankResponse> fourth = reranker.RerankAsync(Query, ["d"], new RerankOptions { MaxTokensPerDocument = 64 });
        Task<RerankResponse> direct = reranker.RerankAsync(Query, ["e"], new RerankOptions { AdditionalProperties = new Dictionary<string, object?> { ["x"] = 1 } });
        await direct;
        Assert.That(_probe.BackendCalls, Is.EqualTo(1), "a request with provider options is not coalesced and does not wait");
        _time.Advance(TimeSpan.FromMilliseconds(5));
        await Task.WhenAll(first, second, third, fourth);

        Assert.That(_probe.BackendCalls, Is.EqualTo(5));
        Assert.That(_probe.Calls.Single(c => c.Documents[0].Text == "c").Options!.ModelId, Is.EqualTo("other"));
        Assert.That(_probe.Calls.Single(c => c.Documents[0].Text == "d").Options!.MaxTokensPerDocument, Is.EqualTo(64));
    }

    [Test]
    public async Task A_group_that_reaches_the_batch_size_is_sent_without_waiting_and_an_overflowing_request_starts_a_new_group()
    {
        using IReranker reranker = CreateCoalescing(maxBatchSize: 10);

        Task<RerankResponse> first = reranker.RerankAsync(Query, Texts(6, "a"));
        Task<RerankResponse> second = reranker.RerankAsync(Query, Texts(4, "b"));
        await Task.WhenAll(first, second);
        Assert.That(_probe.Calls.Single().Documents, Has.Count.EqualTo(10), "full at 10: sent at once, no time passed");

        Task<RerankResponse> third = reranker.RerankAsync(Query, Texts(7, "c"));
        Task<RerankResponse> fourth = reranker.RerankAsync(Query, Texts(5, "d"));
        await third;
        Assert.That(_probe.Calls[1].Documents, Has.Count.EqualTo(7), "7 + 5 would overflow 10: the waiting group went alone");
        Assert.That(fourth.IsCompleted, Is.False);
        _time.Advance(TimeSpan.FromMilliseconds(5));
        await fourth;
        Assert.That(_probe.Calls[2].Documents, Has.Count.EqualTo(5));

        await reranker.RerankAsync(Query, Texts(10, "e"));
        Assert.That(_probe.BackendCalls, Is.EqualTo(4), "a request of exactly the batch size goes straight through");
    }

    [Test]
    public async Task A_request_cancelled_while_waiting_leaves_the_group_and_the_others_are_unharmed()
    {
        using IReranker reranker = CreateCoalescing();
        using var cts = new CancellationTokenSource();

        Task<RerankResponse> kept = reranker.RerankAsync(Query, ["plants", "energy"]);
        Task<RerankResponse> cancelled = reranker.RerankAsync(Query, ["x", "y", "z"], cancellationToken: cts.Token);
        cts.Cancel();
        Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), () => cancelled);
        _time.Advance(TimeSpan.FromMilliseconds(5));
        RerankResponse response = await kept;

        Assert.That(_probe.Calls.Single().Documents.Select(d => d.Text), Is.EqualTo(new[] { "plants", "energy" }), "the cancelled request's documents were not sent");
        AssertRankedAlone(response, ["plants", "energy"], null);
        Assert.That(response.AdditionalProperties![RerankResponseProperties.CoalescedRequests], Is.EqualTo(1));
    }

    [Test]
    public async Task A_request_cancelled_during_the_shared_call_returns_at_once_and_the_call_goes_on_for_the_others()
    {
        var gate = new Gate();
        _probe.OnCall = gate.PassAsync;
        using IReranker reranker = CreateCoalescing();
        using var cts = new CancellationTokenSource();

        Task<RerankResponse> kept = reranker.RerankAsync(Query, ["plants", "energy"]);
        Task<RerankResponse> cancelled = reranker.RerankAsync(Query, ["x"], cancellationToken: cts.Token);
        _time.Advance(TimeSpan.FromMilliseconds(5));
        await gate.WaitForArrivalsAsync();
        cts.Cancel();

        Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), () => cancelled);
        Assert.That(_probe.Calls.Single().CancellationToken.IsCancellationRequested, Is.False, "one request is still waiting for the call");
        gate.Release();
        AssertRankedAlone(await kept, ["plants", "energy"], null);
    }

    [Test]
    public async Task When_every_request_is_cancelled_the_shared_call_is_cancelled_or_never_sent()
    {
        var gate = new Gate();
        _probe.OnCall = gate.PassAsync;
        using IReranker reranker = CreateCoalescing();
        using var first = new CancellationTokenSource();
        using var second = new CancellationTokenSource();

        Task<RerankResponse> a = reranker.RerankAsync(Query, ["a"], cancellationToken: first.Token);
        Task<RerankResponse> b = reranker.RerankAsync(Query, ["b"], cancellationToken: second.Token);
        _time.Advance(TimeSpan.FromMilliseconds(5));
        await gate.WaitForArrivalsAsync();
        first.Cancel();
        second.Cancel();

        Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), () => a);
        Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), () => b);
        Assert.That(_probe.Calls.Single().CancellationToken.IsCancellationRequested, Is.True);

        using var third = new CancellationTokenSource();
        Task<RerankResponse> c = reranker.RerankAsync(Query, ["c"], cancellationToken: third.Token);
        third.Cancel();
        Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), () => c);
        BatchingReranker batching = reranker.GetRequiredService<BatchingReranker>();
        Assert.That(batching.OpenGroupCount, Is.Zero, "the abandoned group was dropped");
        _time.Advance(TimeSpan.FromMilliseconds(5));
        Assert.That(_probe.BackendCalls, Is.EqualTo(1), "and never sent");
    }

    [Test]
    public void A_failure_of_the_shared_call_reaches_every_request_in_it()
    {
        _probe.OnCall = _ => throw new InvalidOperationException("model crashed");
        using IReranker reranker = CreateCoalescing();

        Task<RerankResponse> a = reranker.RerankAsync(Query, ["a"]);
        Task<RerankResponse> b = reranker.RerankAsync(Query, ["b"]);
        _time.Advance(TimeSpan.FromMilliseconds(5));

        Assert.That(Assert.ThrowsAsync<InvalidOperationException>(() => a)!.Message, Is.EqualTo("model crashed"));
        Assert.That(Assert.ThrowsAsync<InvalidOperationException>(() => b)!.Message, Is.EqualTo("model crashed"));
    }

    [Test]
    public async Task Coalesced_and_split_calls_share_the_concurrency_bound()
    {
        var gate = new Gate();
        _probe.OnCall = gate.PassAsync;
        using IReranker reranker = CreateCoalescing(maxBatchSize: 4, maxConcurrency: 1);

        Task<RerankResponse> split = reranker.RerankAsync(Query, Texts(8, "s"));
        await gate.WaitForArrivalsAsync();
        Task<RerankResponse> small = reranker.RerankAsync(Query, ["x"]);
        _time.Advance(TimeSpan.FromMilliseconds(5));
        await Task.Yield();

        Assert.That(_probe.BackendCalls, Is.EqualTo(1), "the coalesced call waits for the slot the split request holds");
        gate.Release();
        await Task.WhenAll(split, small);
        Assert.That(_probe.BackendCalls, Is.EqualTo(3));
    }

    [Test]
    public void Options_are_validated_when_the_pipeline_is_built_and_the_clock_comes_from_dependency_injection()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RerankerBuilder(_probe).UseBatching(0).Build());
        Assert.Throws<ArgumentOutOfRangeException>(() => new RerankerBuilder(_probe).UseBatching(8, o => o.MaxConcurrency = 0).Build());
        Assert.Throws<ArgumentOutOfRangeException>(() => new RerankerBuilder(_probe).UseBatching(8, o => o.CoalescingWindow = TimeSpan.FromTicks(-1)).Build());

        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        services.AddReranker(_probe).UseBatching(8);
        using ServiceProvider provider = services.BuildServiceProvider();
        Task<RerankResponse> waiting = provider.GetRequiredService<IReranker>().RerankAsync(Query, ["a"]);
        Assert.That(waiting.IsCompleted, Is.False);
        _time.Advance(TimeSpan.FromMilliseconds(2));
        Assert.That(async () => (await waiting).Results.Count, Is.EqualTo(1));
    }

    [Test]
    public async Task By_default_four_batches_are_in_flight_at_once_so_a_remote_api_is_not_served_one_call_at_a_time()
    {
        var gate = new Gate();
        _probe.OnCall = gate.PassAsync;
        using IReranker reranker = new RerankerBuilder(_probe).UseBatching(8).Build();

        Task<RerankResponse> pending = reranker.RerankAsync(Query, Texts(40, "d"));

        // Four calls held at the gate at once; with a limit of 1 the second would never arrive and this would fail.
        await gate.WaitForArrivalsAsync(4);
        Assert.That(_probe.Calls, Has.Count.EqualTo(4), "the fifth batch waits for a slot");
        gate.Release();
        Assert.That((await pending).Results, Has.Count.EqualTo(40));
        Assert.That(new BatchingRerankerOptions().MaxConcurrency, Is.EqualTo(4));
    }

    private IReranker CreateCoalescing(int maxBatchSize = 32, int maxConcurrency = 1) =>
        new RerankerBuilder(_probe).UseBatching(maxBatchSize, o =>
        {
            o.CoalescingWindow = TimeSpan.FromMilliseconds(5);
            o.MaxConcurrency = maxConcurrency;
            o.TimeProvider = _time;
        }).Build();

    private static string[] Texts(int count, string prefix) => Enumerable.Range(0, count).Select(i => $"{prefix}{i}").ToArray();

    private static void AssertRankedAlone(RerankResponse response, string[] texts, RerankOptions? options)
    {
        IReadOnlyList<RerankResult> reference = RerankContract.Rank(texts.Select(t => new RerankDocument(t)).ToList(), texts.Select(t => ProbeReranker.Score(Query, t)).ToArray(), options);
        Assert.That(response.Results.Select(r => (r.Index, r.Score, r.Document.Text)), Is.EqualTo(reference.Select(r => (r.Index, r.Score, r.Document.Text))));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
