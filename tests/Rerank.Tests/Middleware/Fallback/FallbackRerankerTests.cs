using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Rerank.Tests.Middleware.Fallback;

/// <summary>The fallback chain: who answers, why the others did not, what is logged, what is never handled.</summary>
[TestFixture]
public sealed class FallbackRerankerTests
{
    private const string Query = "plants and energy";
    private static readonly RerankDocument[] Documents =
    [
        new("the stock market fell") { Score = 0.9 },
        new("plants make energy") { Score = 0.5 },
        new("bees make honey") { Score = 0.7 },
    ];

    [Test]
    public async Task Cohere_then_ONNX_then_BM25_then_first_stage_order_answers_and_says_why()
    {
        var time = new FakeTimeProvider();
        var cohere = new ProbeReranker("cohere", "rerank-v3.5") { OnCall = _ => throw new HttpRequestException("503 Service Unavailable") };
        var onnxGate = new Gate();
        var onnx = new ProbeReranker("onnx", "ms-marco-MiniLM-L-6-v2") { OnCall = onnxGate.PassAsync };
        var bm25 = new ProbeReranker("bm25", null) { OnCall = _ => throw new InvalidOperationException("index not loaded") };
        var logger = new FakeLogger();
        using var reranker = new FallbackReranker(cohere, [new TimeoutReranker(onnx, TimeSpan.FromMilliseconds(300), time), bm25, new FirstStageOrderReranker()], null, logger);

        Task<RerankResponse> call = reranker.RerankAsync(Query, Documents, new RerankOptions { TopN = 2 });
        await onnxGate.WaitForArrivalsAsync();
        time.Advance(TimeSpan.FromMilliseconds(300));
        RerankResponse response = await call;

        Assert.That(response.Results.Select(r => r.Index), Is.EqualTo(new[] { 0, 2 }), "the first-stage scores, TopN applied");
        Assert.That(response.AdditionalProperties![RerankResponseProperties.FallbackAnsweredBy], Is.EqualTo("first-stage"));
        var attempts = (IReadOnlyList<RerankFallbackAttempt>)response.AdditionalProperties[RerankResponseProperties.FallbackAttempts]!;
        Assert.That(attempts, Is.EqualTo(new[]
        {
            new RerankFallbackAttempt("cohere/rerank-v3.5", "System.Net.Http.HttpRequestException", "503 Service Unavailable"),
            new RerankFallbackAttempt("onnx/ms-marco-MiniLM-L-6-v2", "Rerank.RerankTimeoutException", attempts[1].Message),
            new RerankFallbackAttempt("bm25", "System.InvalidOperationException", "index not loaded"),
        }));
        Assert.That(attempts[1].Message, Does.Contain("300 ms"));

        FakeLogRecord[] logs = [.. logger.Collector.GetSnapshot()];
        Assert.That(logs.Select(l => (l.Level, l.Message)), Is.EqualTo(new[]
        {
            (LogLevel.Warning, "Reranker cohere/rerank-v3.5 failed with HttpRequestException; falling back to onnx/ms-marco-MiniLM-L-6-v2."),
            (LogLevel.Warning, "Reranker onnx/ms-marco-MiniLM-L-6-v2 failed with RerankTimeoutException; falling back to bm25."),
            (LogLevel.Warning, "Reranker bm25 failed with InvalidOperationException; falling back to first-stage."),
            (LogLevel.Information, "Reranking was answered by fallback first-stage after 3 reranker(s) failed."),
        }));
        Assert.That(logs[0].Exception, Is.InstanceOf<HttpRequestException>());
    }

    [Test]
    public async Task When_the_primary_answers_no_fallback_is_called_and_the_response_names_the_primary()
    {
        var primary = new ProbeReranker("onnx", "minilm");
        var fallback = new ProbeReranker("bm25");
        using IReranker reranker = new RerankerBuilder(primary).UseFallback(fallback).Build();

        RerankResponse response = await reranker.RerankAsync(Query, Documents);

        Assert.That(fallback.BackendCalls, Is.Zero);
        Assert.That(response.Results[0].Document.Text, Is.EqualTo("plants make energy"));
        Assert.That(response.AdditionalProperties![RerankResponseProperties.FallbackAnsweredBy], Is.EqualTo("onnx/minilm"));
        Assert.That(response.AdditionalProperties.ContainsKey(RerankResponseProperties.FallbackAttempts), Is.False);
    }

    [Test]
    public async Task The_callers_cancellation_is_never_handled_but_a_cancellation_the_caller_did_not_ask_for_is()
    {
        var gate = new Gate();
        var primary = new ProbeReranker { OnCall = gate.PassAsync };
        var fallback = new ProbeReranker("fallback");
        using IReranker reranker = new RerankerBuilder(primary).UseFallback(fallback, o => o.ShouldHandle = _ => true).Build();
        using var cts = new CancellationTokenSource();

        Task<RerankResponse> call = reranker.RerankAsync(Query, Documents, cancellationToken: cts.Token);
        await gate.WaitForArrivalsAsync();
        cts.Cancel();
        Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), () => call);
        Assert.That(fallback.BackendCalls, Is.Zero, "not even a predicate that handles everything falls back on the caller's cancellation");

        // An HTTP client's own timeout surfaces as TaskCanceledException, though the caller cancelled nothing.
        primary.OnCall = _ => throw new TaskCanceledException("HttpClient.Timeout of 100 seconds elapsed");
        RerankResponse response = await reranker.RerankAsync(Query, Documents);
        Assert.That(response.AdditionalProperties![RerankResponseProperties.FallbackAnsweredBy], Is.EqualTo("fallback/probe-model"));
    }

    [Test]
    public void A_predicate_decides_which_failures_fall_back()
    {
        var primary = new ProbeReranker { OnCall = _ => throw new InvalidOperationException("a bug, not an outage") };
        var fallback = new ProbeReranker("fallback");
        using IReranker reranker = new RerankerBuilder(primary)
            .UseFallback(fallback, o => o.ShouldHandle = args => args.Exception is HttpRequestException or TimeoutException)
            .Build();

        Assert.ThrowsAsync<InvalidOperationException>(() => reranker.RerankAsync(Query, Documents));
        Assert.That(fallback.BackendCalls, Is.Zero);
    }

    [Test]
    public void The_predicate_is_told_who_failed_and_where_in_the_chain()
    {
        var seen = new List<(string Name, int Attempt, Type Error)>();
        var primary = new ProbeReranker("a") { OnCall = _ => throw new HttpRequestException("a down") };
        var second = new ProbeReranker("b") { OnCall = _ => throw new TimeoutException("b slow") };
        var third = new ProbeReranker("c") { OnCall = _ => throw new FormatException("c broken") };
        using IReranker reranker = new RerankerBuilder(primary).UseFallback([second, third], o => o.ShouldHandle = args =>
        {
            seen.Add((args.RerankerName, args.Attempt, args.Exception.GetType()));
            return true;
        }).Build();

        var ex = Assert.ThrowsAsync<FormatException>(() => reranker.RerankAsync(Query, Documents), "when the last reranker fails, its exception propagates");

        Assert.That(ex!.Message, Is.EqualTo("c broken"));
        Assert.That(seen, Is.EqualTo(new[] { ("a/probe-model", 0, typeof(HttpRequestException)), ("b/probe-model", 1, typeof(TimeoutException)) }));
    }

    [Test]
    public async Task The_failure_of_the_whole_chain_is_logged_as_an_error()
    {
        var logger = new FakeLogger();
        using var reranker = new FallbackReranker(
            new ProbeReranker("a") { OnCall = _ => throw new HttpRequestException("down") },
            [new ProbeReranker("b") { OnCall = _ => throw new HttpRequestException("down too") }],
            null,
            logger);

        Assert.ThrowsAsync<HttpRequestException>(() => reranker.RerankAsync(Query, Documents));

        await Task.Yield();
        Assert.That(logger.LatestRecord.Level, Is.EqualTo(LogLevel.Error));
        Assert.That(logger.LatestRecord.Message, Is.EqualTo("The fallback chain ended with a failure of b/probe-model after 1 earlier failure(s)."));
    }

    [Test]
    public async Task Fallbacks_get_the_callers_options_without_the_primarys_model_id()
    {
        var primary = new ProbeReranker("cohere") { OnCall = _ => throw new HttpRequestException("down") };
        var fallback = new ProbeReranker("onnx");
        var keeping = new ProbeReranker("onnx-2");
        var options = new RerankOptions { ModelId = "rerank-v3.5", TopN = 2, MaxTokensPerDocument = 256 };
        using IReranker reranker = new RerankerBuilder(primary).UseFallback(fallback).Build();
        using IReranker keepingModel = new RerankerBuilder(primary).UseFallback(keeping, o => o.ClearModelIdForFallbacks = false).Build();

        await reranker.RerankAsync(Query, Documents, options);
        await keepingModel.RerankAsync(Query, Documents, options);

        Assert.That(primary.Calls[0].Options, Is.SameAs(options));
        RerankOptions seen = fallback.Calls.Single().Options!;
        Assert.That((seen.ModelId, seen.TopN, seen.MaxTokensPerDocument), Is.EqualTo(((string?)null, (int?)2, (int?)256)));
        Assert.That(keeping.Calls.Single().Options!.ModelId, Is.EqualTo("rerank-v3.5"));
        Assert.That(options.ModelId, Is.EqualTo("rerank-v3.5"), "the caller's options are untouched");
    }

    [Test]
    public void Bad_arguments_reach_no_reranker_of_the_chain()
    {
        var primary = new ProbeReranker();
        var fallback = new ProbeReranker();
        using IReranker reranker = new RerankerBuilder(primary).UseFallback(fallback).Build();
        List<RerankDocument> withNull = [.. Documents, null!];

        Assert.ThrowsAsync<ArgumentNullException>(() => reranker.RerankAsync(null!, Documents));
        Assert.That(Assert.ThrowsAsync<ArgumentException>(() => reranker.RerankAsync(Query, withNull))!.Message, Does.Contain("index 3"));
        Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => reranker.RerankAsync(Query, Documents, new RerankOptions { TopN = -1 }));
        Assert.That(primary.BackendCalls + fallback.BackendCalls, Is.Zero);
    }

    [Test]
    public void An_empty_chain_adds_no_layer_and_a_null_fallback_is_rejected()
    {
        using IReranker none = new RerankerBuilder(new ProbeReranker()).UseFallback([]).Build();
        using IReranker noneFromServices = new RerankerBuilder(new ProbeReranker()).UseFallback(_ => []).Build();

        Assert.That(none.GetService<FallbackReranker>(), Is.Null);
        Assert.That(noneFromServices.GetService<FallbackReranker>(), Is.Null);
        Assert.That(Assert.Throws<ArgumentException>(() => new RerankerBuilder(new ProbeReranker()).UseFallback([new ProbeReranker(), null!]))!.Message, Does.Contain("index 1"));
        Assert.Throws<ArgumentNullException>(() => new RerankerBuilder(new ProbeReranker()).UseFallback((IReranker)null!));
    }

    [Test]
    public async Task Fallbacks_resolve_from_dependency_injection_and_failures_are_logged_through_the_logger_factory()
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddFakeLogging());
        services.AddKeyedSingleton<IReranker>("onnx", new ProbeReranker("onnx"));
        services.AddReranker(new ProbeReranker("cohere") { OnCall = _ => throw new HttpRequestException("401: the API key was rejected") })
            .UseFallback(sp => [sp.GetRequiredKeyedService<IReranker>("onnx"), new FirstStageOrderReranker()]);
        using ServiceProvider provider = services.BuildServiceProvider();
        IReranker reranker = provider.GetRequiredService<IReranker>();

        RerankResponse response = await reranker.RerankAsync(Query, Documents);

        Assert.That(response.AdditionalProperties![RerankResponseProperties.FallbackAnsweredBy], Is.EqualTo("onnx/probe-model"));
        Assert.That(reranker.GetRequiredService<FallbackReranker>().RerankerNames, Is.EqualTo(new[] { "cohere/probe-model", "onnx/probe-model", "first-stage" }));
        FakeLogCollector logs = provider.GetFakeLogCollector();
        Assert.That(logs.GetSnapshot().Select(r => r.Category), Has.All.EqualTo(typeof(FallbackReranker).FullName));
        Assert.That(logs.GetSnapshot().Select(r => r.Level), Is.EqualTo(new[] { LogLevel.Warning, LogLevel.Information }));
    }

    [Test]
    public async Task The_response_of_the_answering_reranker_is_not_changed()
    {
        var shared = new RerankResponse([new RerankResult(0, 1, Documents[0])]);
        using IReranker reranker = new RerankerBuilder(new RerankerBuilder(new ProbeReranker())
                .Use((_, _, _, _, _) => Task.FromResult(shared))
                .Build())
            .UseFallback(new FirstStageOrderReranker())
            .Build();

        RerankResponse response = await reranker.RerankAsync(Query, Documents[..1]);

        Assert.That(response, Is.Not.SameAs(shared));
        Assert.That(shared.AdditionalProperties, Is.Null);
        Assert.That(response.Results, Is.SameAs(shared.Results));
    }
}
