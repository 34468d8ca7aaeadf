using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Rerank.Cohere.Tests.Server;

namespace Rerank.Cohere.Tests;

/// <summary>
/// Fault modes against a real server: 429 with Retry-After, repeated 5xx, bodies cut short, slow answers, cancellation and the
/// total time bound; once over a plain HttpClient (the reranker's own pipeline) and once through DI (the client's resilience handler).
/// </summary>
[TestFixture(ClientMode.Plain, RerankApiDialect.Cohere)]
[TestFixture(ClientMode.Plain, RerankApiDialect.Jina)]
[TestFixture(ClientMode.Plain, RerankApiDialect.Voyage)]
[TestFixture(ClientMode.Plain, RerankApiDialect.TextEmbeddingsInference)]
[TestFixture(ClientMode.Plain, RerankApiDialect.Infinity)]
[TestFixture(ClientMode.Plain, RerankApiDialect.Vllm)]
[TestFixture(ClientMode.DependencyInjection, RerankApiDialect.Cohere)]
[TestFixture(ClientMode.DependencyInjection, RerankApiDialect.TextEmbeddingsInference)]
public sealed class ResilienceTests(ClientMode mode, RerankApiDialect dialect)
{
    private const string Query = "capital of the United States";
    private static readonly string[] Texts = ["Carson City is the capital of Nevada.", "Washington is the capital of the United States.", "Capital punishment."];

    private RerankTestServer _server = null!;

    [SetUp]
    public async Task Start() => _server = await RerankTestServer.StartAsync(dialect);

    [TearDown]
    public async Task Stop() => await _server.DisposeAsync();

    private static void AssertNoKey(Exception ex, RerankerUnderTest rut)
    {
        Assert.That(ex.ToString(), Does.Not.Contain(TestSetup.CanaryKey));
        Assert.That(rut.LogLines(), Has.None.Contain(TestSetup.CanaryKey));
    }

    /// <summary>
    /// Fake time races ahead of real I/O while a test drives it, so the timeouts (also on the fake clock) are turned off in
    /// those tests: only the retry delay is measured.
    /// </summary>
    private static void NoTimeouts(CohereRerankerOptions options)
    {
        options.Timeout = Timeout.InfiniteTimeSpan;
        options.TotalTimeout = Timeout.InfiniteTimeSpan;
    }

    private static async Task<RerankResponse> DriveAsync(Task<RerankResponse> call, FakeTimeProvider time)
    {
        // Fake time moves only when the test moves it: step it until the call completes, with a real-time safety bound.
        var watch = Stopwatch.StartNew();
        while (!call.IsCompleted && watch.Elapsed < TimeSpan.FromSeconds(20))
        {
            time.Advance(TimeSpan.FromMilliseconds(250));
            await Task.Delay(2);
        }

        if (!call.IsCompleted)
        {
            // Awaiting it now would hang the run: nothing advances the fake clock any more.
            Assert.Fail("The call did not finish within 20 s of real time while fake time was stepped.");
        }

        return await call;
    }

    [Test]
    public async Task A_429_with_Retry_After_in_seconds_waits_that_long_then_succeeds()
    {
        var time = new FakeTimeProvider();
        await using RerankTestServer server = await RerankTestServer.StartAsync(dialect, clock: time);
        server.Enqueue(429, """{"message":"You are using a Trial key, which is limited to 10 API calls / minute."}""", headers: r => r.Headers.RetryAfter = "7");
        using var rut = RerankerUnderTest.Create(mode, server, NoTimeouts, time);

        RerankResponse response = await DriveAsync(rut.Reranker.RerankAsync(Query, TestSetup.Documents(Texts)), time);

        RecordedRequest[] requests = [.. server.Requests];
        Assert.That(requests, Has.Length.EqualTo(2));
        Assert.That(requests[1].ReceivedAt - requests[0].ReceivedAt, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(7)), "the retry came before Retry-After allowed");
        Assert.That(response.Results[0].Index, Is.EqualTo(1));
        Assert.That(rut.Logs.GetSnapshot().Where(r => r.Level == LogLevel.Warning).Select(r => r.Message),
            Has.One.Contains("HTTP 429").And.Contains("retry 1 of 3 in 00:00:07"));
    }

    [Test]
    public async Task A_429_with_Retry_After_as_a_date_waits_until_then()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero));
        await using RerankTestServer server = await RerankTestServer.StartAsync(dialect, clock: time);
        server.Enqueue(429, """{"message":"slow down"}""", headers: r => r.Headers.RetryAfter = time.GetUtcNow().AddSeconds(5).ToString("R"));
        using var rut = RerankerUnderTest.Create(mode, server, NoTimeouts, time);

        await DriveAsync(rut.Reranker.RerankAsync(Query, TestSetup.Documents(Texts)), time);

        RecordedRequest[] requests = [.. server.Requests];
        Assert.That(requests, Has.Length.EqualTo(2));
        Assert.That(requests[1].ReceivedAt, Is.GreaterThanOrEqualTo(new DateTimeOffset(2030, 1, 1, 12, 0, 5, TimeSpan.Zero)));
    }

    [Test]
    public void A_Retry_After_longer_than_MaxRetryAfter_fails_at_once_and_says_when_to_come_back()
    {
        _server.Always = c => RerankTestServer.Respond(c, 429, """{"message":"rate limited"}""", headers: r => r.Headers.RetryAfter = "3600");
        using var rut = RerankerUnderTest.Create(mode, _server);

        var ex = Assert.ThrowsAsync<RerankHttpException>(() => rut.Reranker.RerankAsync(Query, TestSetup.Documents(Texts)));

        Assert.That(_server.RequestCount, Is.EqualTo(1));
        Assert.That(ex!.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(ex.RetryAfter, Is.EqualTo(TimeSpan.FromHours(1)));
        Assert.That(ex.ProviderMessage, Is.EqualTo("rate limited"));
        Assert.That(ex.Hint, Does.Contain("MaxRetryAfter"));
        AssertNoKey(ex, rut);
    }

    [Test]
    public void Repeated_500s_are_retried_a_bounded_number_of_times_then_reported()
    {
        _server.Always = c => RerankTestServer.Respond(c, 500, """{"message":"internal server error"}""");
        using var rut = RerankerUnderTest.Create(mode, _server, o => o.Retry.MaxRetryAttempts = 2);

        var ex = Assert.ThrowsAsync<RerankHttpException>(() => rut.Reranker.RerankAsync(Query, TestSetup.Documents(Texts)));

        Assert.That(_server.RequestCount, Is.EqualTo(3), "one attempt and two retries");
        Assert.That(ex!.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
        Assert.That(ex.ProviderMessage, Is.EqualTo("internal server error"));
        Assert.That(ex.Message, Does.Contain("HTTP 500").And.Contain("internal server error").And.Contain("after 2 retries"));
        Assert.That(rut.Logs.GetSnapshot().Count(r => r.Level == LogLevel.Warning && r.Message.Contains("HTTP 500", StringComparison.Ordinal)), Is.EqualTo(2));
        AssertNoKey(ex, rut);
    }

    [Test]
    public async Task A_503_then_success_returns_the_ranking()
    {
        _server.Enqueue(503, """{"message":"overloaded"}""");
        using var rut = RerankerUnderTest.Create(mode, _server);

        RerankResponse response = await rut.Reranker.RerankAsync(Query, TestSetup.Documents(Texts));

        Assert.That(_server.RequestCount, Is.EqualTo(2));
        Assert.That(response.Results, Has.Count.EqualTo(3));
    }

    [Test]
    public void Retries_can_be_turned_off()
    {
        _server.Always = c => RerankTestServer.Respond(c, 503, """{"message":"overloaded"}""");
        using var rut = RerankerUnderTest.Create(mode, _server, o => o.Retry.MaxRetryAttempts = 0);

        Assert.ThrowsAsync<RerankHttpException>(() => rut.Reranker.RerankAsync(Query, TestSetup.Documents(Texts)));
        Assert.That(_server.RequestCount, Is.EqualTo(1));
    }

    private static async Task CutShort(HttpContext context)
    {
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = 500;
        await context.Response.WriteAsync("""{"id":"x","results":[{"index":0,""");
        await context.Response.Body.FlushAsync();
        context.Abort();
    }

    [Test]
    public async Task A_body_cut_short_is_retried()
    {
        _server.Enqueue(CutShort);
        using var rut = RerankerUnderTest.Create(mode, _server);

        RerankResponse response = await rut.Reranker.RerankAsync(Query, TestSetup.Documents(Texts));

        Assert.That(_server.RequestCount, Is.EqualTo(2));
        Assert.That(response.Results, Has.Count.EqualTo(3));
    }

    [Test]
    public void A_body_cut_short_every_time_is_a_typed_transport_failure()
    {
        _server.Always = CutShort;
        using var rut = RerankerUnderTest.Create(mode, _server, o => o.Retry.MaxRetryAttempts = 2);

        var ex = Assert.ThrowsAsync<RerankHttpException>(() => rut.Reranker.RerankAsync(Query, TestSetup.Documents(Texts)));

        Assert.That(_server.RequestCount, Is.EqualTo(3));
        Assert.That(ex!.StatusCode, Is.Null);
        Assert.That(ex.InnerException, Is.InstanceOf<HttpRequestException>());
        Assert.That(ex.Message, Does.Contain("after 2 retries"));
        AssertNoKey(ex, rut);
    }

    [Test]
    public async Task A_slow_response_times_out_and_the_server_sees_each_attempt_aborted()
    {
        _server.Always = RerankTestServer.Hang;
        using var rut = RerankerUnderTest.Create(mode, _server, o =>
        {
            o.Timeout = TimeSpan.FromMilliseconds(400);
            o.Retry.MaxRetryAttempts = 1;
        });

        var ex = Assert.ThrowsAsync<TimeoutException>(() => rut.Reranker.RerankAsync(Query, TestSetup.Documents(Texts)));

        await _server.WaitForAbortAsync(TimeSpan.FromSeconds(10));
        Assert.That(_server.RequestCount, Is.EqualTo(2), "an attempt that timed out is retried");
        Assert.That(() => _server.AbortedCount, Is.EqualTo(2).After(10_000, 20), "both attempts were aborted on the wire");
        Assert.That(ex!.Message, Does.Contain("Timeout (per attempt)"));
        AssertNoKey(ex, rut);
    }

    [Test]
    public async Task A_body_that_stalls_after_the_headers_times_out_too()
    {
        _server.Always = async context =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"id":"x","results":[""");
            await context.Response.Body.FlushAsync();
            await RerankTestServer.Hang(context);
        };
        using var rut = RerankerUnderTest.Create(mode, _server, o =>
        {
            o.Timeout = TimeSpan.FromMilliseconds(400);
            o.Retry.MaxRetryAttempts = 0;
        });

        Assert.ThrowsAsync<TimeoutException>(() => rut.Reranker.RerankAsync(Query, TestSetup.Documents(Texts)));

        await _server.WaitForAbortAsync(TimeSpan.FromSeconds(10));
        Assert.That(_server.AbortedCount, Is.EqualTo(1));
    }

    [Test]
    public async Task Caller_cancellation_aborts_the_HTTP_call_and_is_not_a_timeout()
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Always = context =>
        {
            arrived.TrySetResult();
            return RerankTestServer.Hang(context);
        };
        using var rut = RerankerUnderTest.Create(mode, _server);
        using var cts = new CancellationTokenSource();

        Task<RerankResponse> call = rut.Reranker.RerankAsync(Query, TestSetup.Documents(Texts), cancellationToken: cts.Token);
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cts.CancelAsync();

        Assert.That(async () => await call, Throws.InstanceOf<OperationCanceledException>());
        await _server.WaitForAbortAsync(TimeSpan.FromSeconds(10));
        Assert.That(_server.RequestCount, Is.EqualTo(1), "a cancelled call is not retried");
    }

    [Test]
    public void TotalTimeout_bounds_the_retries()
    {
        _server.Always = RerankTestServer.Hang;
        using var rut = RerankerUnderTest.Create(mode, _server, o =>
        {
            o.Timeout = TimeSpan.FromMilliseconds(200);
            o.TotalTimeout = TimeSpan.FromSeconds(1);
            o.Retry.MaxRetryAttempts = 100;
        });

        var ex = Assert.ThrowsAsync<TimeoutException>(() => rut.Reranker.RerankAsync(Query, TestSetup.Documents(Texts)));

        Assert.That(ex!.Message, Does.Contain("TotalTimeout"));
        Assert.That(_server.RequestCount, Is.InRange(1, 6), "one second allows at most five 200 ms attempts and the start of a sixth");
    }

    [Test]
    public void An_HTML_502_page_is_retried_then_reported_by_its_title()
    {
        _server.Always = c => RerankTestServer.Respond(c, 502,
            "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>",
            "text/html");
        using var rut = RerankerUnderTest.Create(mode, _server, o => o.Retry.MaxRetryAttempts = 1);

        var ex = Assert.ThrowsAsync<RerankHttpException>(() => rut.Reranker.RerankAsync(Query, TestSetup.Documents(Texts)));

        Assert.That(_server.RequestCount, Is.EqualTo(2));
        Assert.That(ex!.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
        Assert.That(ex.ProviderMessage, Is.EqualTo("502 Bad Gateway"));
    }

    [Test]
    public void A_refused_connection_is_retried_then_a_typed_transport_failure()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        using var rut = RerankerUnderTest.Create(mode, _server, o =>
        {
            o.Endpoint = new Uri($"http://127.0.0.1:{port}");
            o.Retry.MaxRetryAttempts = 1;
        });

        var ex = Assert.ThrowsAsync<RerankHttpException>(() => rut.Reranker.RerankAsync(Query, TestSetup.Documents(Texts)));

        Assert.That(ex!.StatusCode, Is.Null);
        Assert.That(ex.Hint, Does.Contain("reachable"));
        Assert.That(rut.Logs.GetSnapshot().Count(r => r.Level == LogLevel.Warning && r.Message.Contains("HttpRequestException", StringComparison.Ordinal)), Is.EqualTo(1));
        AssertNoKey(ex, rut);
    }
}
