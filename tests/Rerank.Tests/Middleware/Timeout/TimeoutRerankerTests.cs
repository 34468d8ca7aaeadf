using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Rerank.Tests.Middleware.Timeout;

/// <summary>The timeout layer on a fake clock: no sleeps, no real time.</summary>
[TestFixture]
public sealed class TimeoutRerankerTests
{
    private const string Query = "plants and energy";
    private static readonly string[] Texts = ["plants make energy", "markets fell"];

    private FakeTimeProvider _time = null!;
    private Gate _gate = null!;
    private ProbeReranker _probe = null!;
    private IReranker _reranker = null!;

    [SetUp]
    public void SetUp()
    {
        _time = new FakeTimeProvider();
        _gate = new Gate();
        _probe = new ProbeReranker { OnCall = _gate.PassAsync };
        _reranker = new RerankerBuilder(_probe).UseTimeout(TimeSpan.FromMilliseconds(800), _time).Build();
    }

    [TearDown]
    public void TearDown() => _reranker.Dispose();

    [Test]
    public async Task A_call_slower_than_the_timeout_throws_RerankTimeoutException_and_cancels_the_inner_call()
    {
        Task<RerankResponse> call = _reranker.RerankAsync(Query, Texts);
        await _gate.WaitForArrivalsAsync();

        _time.Advance(TimeSpan.FromMilliseconds(799));
        Assert.That(call.IsCompleted, Is.False, "799 ms is within the timeout");
        _time.Advance(TimeSpan.FromMilliseconds(1));

        var ex = Assert.ThrowsAsync<RerankTimeoutException>(() => call);
        Assert.That(ex!.Timeout, Is.EqualTo(TimeSpan.FromMilliseconds(800)));
        Assert.That(ex.Message, Does.Contain("800 ms"));
        Assert.That(ex, Is.InstanceOf<TimeoutException>().And.Not.InstanceOf<OperationCanceledException>());
        Assert.That(ex.InnerException, Is.InstanceOf<OperationCanceledException>());
        Assert.That(_probe.Calls.Single().CancellationToken.IsCancellationRequested, Is.True, "the inner call was told to stop");
    }

    [Test]
    public async Task A_call_within_the_timeout_returns_its_response()
    {
        Task<RerankResponse> call = _reranker.RerankAsync(Query, Texts);
        await _gate.WaitForArrivalsAsync();
        _time.Advance(TimeSpan.FromMilliseconds(500));
        _gate.Release();

        RerankResponse response = await call;

        Assert.That(response.Results[0].Document.Text, Is.EqualTo("plants make energy"));
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.That(_probe.Calls.Single().CancellationToken.IsCancellationRequested, Is.False, "the timer was disposed with the call");
    }

    [Test]
    public async Task The_callers_cancellation_stays_an_OperationCanceledException()
    {
        using var cts = new CancellationTokenSource();
        Task<RerankResponse> call = _reranker.RerankAsync(Query, Texts, cancellationToken: cts.Token);
        await _gate.WaitForArrivalsAsync();

        cts.Cancel();

        var ex = Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), () => call);
        Assert.That(ex, Is.Not.InstanceOf<RerankTimeoutException>());
    }

    [Test]
    public async Task An_inner_reranker_that_ignores_its_token_still_times_out()
    {
        var never = new TaskCompletionSource();
        _probe.OnCall = call =>
        {
            _gate.PassAsync(call).ContinueWith(_ => { }, TaskScheduler.Default);
            return never.Task; // ignores cancellation entirely
        };
        Task<RerankResponse> call = _reranker.RerankAsync(Query, Texts);
        await _gate.WaitForArrivalsAsync();

        _time.Advance(TimeSpan.FromMilliseconds(800));

        Assert.ThrowsAsync<RerankTimeoutException>(() => call);
        never.SetException(new InvalidOperationException("finished late and failed; nobody is listening"));
    }

    [Test]
    public void Infinite_adds_no_layer_and_invalid_timeouts_are_rejected_at_the_builder()
    {
        using IReranker none = new RerankerBuilder(new ProbeReranker()).UseTimeout(System.Threading.Timeout.InfiniteTimeSpan).Build();

        Assert.That(none.GetService<TimeoutReranker>(), Is.Null);
        Assert.Throws<ArgumentOutOfRangeException>(() => new RerankerBuilder(new ProbeReranker()).UseTimeout(TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RerankerBuilder(new ProbeReranker()).UseTimeout(TimeSpan.FromSeconds(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TimeoutReranker(new ProbeReranker(), TimeSpan.FromTicks(-5)));
    }

    [Test]
    public async Task The_clock_is_resolved_from_dependency_injection()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        services.AddReranker(_probe).UseTimeout(TimeSpan.FromSeconds(2));
        using ServiceProvider provider = services.BuildServiceProvider();
        IReranker reranker = provider.GetRequiredService<IReranker>();

        Task<RerankResponse> call = reranker.RerankAsync(Query, Texts);
        await _gate.WaitForArrivalsAsync();
        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.ThrowsAsync<RerankTimeoutException>(() => call);
        Assert.That(reranker.GetRequiredService<TimeoutReranker>().Timeout, Is.EqualTo(TimeSpan.FromSeconds(2)));
    }

    [Test]
    public void Bad_arguments_are_rejected_before_any_timer_or_inner_call()
    {
        Assert.ThrowsAsync<ArgumentNullException>(() => _reranker.RerankAsync(null!, Texts));
        Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _reranker.RerankAsync(Query, Texts, new RerankOptions { TopN = 0 }));
        Assert.That(_probe.BackendCalls, Is.Zero);
    }
}
