using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;
using Rerank.Tests.Llm;

namespace Rerank.Tests.Middleware.OpenTelemetry;

[TestFixture]
public sealed class OpenTelemetryRerankerTests
{
    private const string Query = "private question about plants";
    private static readonly string[] Texts = ["plants make energy", "private diary", "stock market"];

    private ActivityRecorder _recorder = null!;
    private TestMeterFactory _meters = null!;

    [SetUp]
    public void SetUp()
    {
        _recorder = new ActivityRecorder(RerankTelemetry.SourceName);
        _meters = new TestMeterFactory();
    }

    [TearDown]
    public void TearDown()
    {
        _recorder.Dispose();
        _meters.Dispose();
    }

    [Test]
    public async Task A_call_is_a_client_span_with_gen_ai_style_tags_and_no_text()
    {
        using IReranker reranker = new RerankerBuilder(new ProbeReranker("cohere", "rerank-v3.5")).UseOpenTelemetry(meterFactory: _meters).Build();

        await reranker.RerankAsync(Query, Texts, new RerankOptions { TopN = 2 });

        Activity activity = _recorder.Stopped.Single();
        Assert.That(activity.Source.Name, Is.EqualTo("Rerank"));
        Assert.That(activity.DisplayName, Is.EqualTo("rerank rerank-v3.5"));
        Assert.That(activity.Kind, Is.EqualTo(ActivityKind.Client));
        Assert.That(activity.Status, Is.EqualTo(ActivityStatusCode.Unset));
        Dictionary<string, object?> tags = activity.TagObjects.ToDictionary(t => t.Key, t => t.Value);
        Assert.That(tags, Is.SupersetOf(new Dictionary<string, object?>
        {
            ["gen_ai.operation.name"] = "rerank",
            ["gen_ai.provider.name"] = "cohere",
            ["gen_ai.request.model"] = "rerank-v3.5",
            ["gen_ai.response.model"] = "rerank-v3.5",
            ["gen_ai.usage.input_tokens"] = 3L,
            ["rerank.request.document_count"] = 3,
            ["rerank.request.top_n"] = 2,
            ["rerank.response.result_count"] = 2,
        }));
        Assert.That(tags.Values.OfType<string>(), Has.None.Contains("private"), "no query or document text in a span");
    }

    [Test]
    public async Task The_request_model_and_server_come_from_options_and_metadata()
    {
        var remote = new RerankerBuilder(new ProbeReranker())
            .Use((query, documents, options, next, ct) => next.RerankAsync(query, documents, options, ct))
            .Build();
        using IReranker reranker = new OpenTelemetryReranker(new MetadataReranker(remote, new RerankerMetadata("vllm", new Uri("http://10.0.0.5:8000/v1/rerank"), "bge")), meterFactory: _meters);

        await reranker.RerankAsync(Query, Texts, new RerankOptions { ModelId = "bge-v2" });

        Activity activity = _recorder.Stopped.Single();
        Assert.That(activity.DisplayName, Is.EqualTo("rerank bge-v2"));
        Assert.That(activity.GetTagItem("gen_ai.request.model"), Is.EqualTo("bge-v2"));
        Assert.That(activity.GetTagItem("server.address"), Is.EqualTo("10.0.0.5"));
        Assert.That(activity.GetTagItem("server.port"), Is.EqualTo(8000));
    }

    [Test]
    public void A_failure_marks_the_span_and_the_duration_with_the_error_type()
    {
        using var durations = new MetricCollector<double>(_meters, RerankTelemetry.SourceName, RerankTelemetry.OperationDurationMetric);
        var time = new FakeTimeProvider();
        IReranker failing = new ProbeReranker
        {
            OnCall = _ =>
            {
                time.Advance(TimeSpan.FromMilliseconds(1500));
                throw new HttpRequestException("503 from provider");
            },
        };
        using IReranker reranker = new RerankerBuilder(failing).UseOpenTelemetry(meterFactory: _meters, timeProvider: time).Build();

        Assert.ThrowsAsync<HttpRequestException>(() => reranker.RerankAsync(Query, Texts));

        Activity activity = _recorder.Stopped.Single();
        Assert.That(activity.Status, Is.EqualTo(ActivityStatusCode.Error));
        Assert.That(activity.StatusDescription, Is.EqualTo("503 from provider"));
        Assert.That(activity.GetTagItem("error.type"), Is.EqualTo("System.Net.Http.HttpRequestException"));
        Assert.That(activity.Events.Select(e => e.Name), Does.Contain("exception"));
        CollectedMeasurement<double> duration = durations.GetMeasurementSnapshot().Single();
        Assert.That(duration.Tags["error.type"], Is.EqualTo("System.Net.Http.HttpRequestException"));
        Assert.That(duration.Value, Is.EqualTo(1.5), "the time the failed call took, in seconds, on the injected clock");
    }

    [Test]
    public async Task Metrics_count_documents_cache_hits_and_misses_fallbacks_and_tokens()
    {
        using var durations = Collect<double>(RerankTelemetry.OperationDurationMetric);
        using var documents = Collect<int>(RerankTelemetry.DocumentsMetric);
        using var hits = Collect<long>(RerankTelemetry.CacheHitsMetric);
        using var misses = Collect<long>(RerankTelemetry.CacheMissesMetric);
        using var fallbacks = Collect<long>(RerankTelemetry.FallbacksMetric);
        using var tokens = Collect<long>(RerankTelemetry.TokenUsageMetric);
        var primary = new ProbeReranker("onnx", "minilm") { OnCall = _ => throw new TimeoutException("slow") };
        // The cache below the fallback, around the primary: the two models' scores must not meet in one response.
        using IReranker reranker = new RerankerBuilder(primary)
            .UseOpenTelemetry(meterFactory: _meters)
            .UseFallback(new ProbeReranker("bm25", null))
            .UseMemoryCache()
            .Build();

        await reranker.RerankAsync(Query, Texts);           // the primary fails below the cache; the fallback answers, uncached
        primary.OnCall = null;
        await reranker.RerankAsync(Query, Texts);           // the primary answers and fills the cache
        await reranker.RerankAsync(Query, Texts[..2]);      // two hits

        Assert.That(durations.GetMeasurementSnapshot(), Has.Count.EqualTo(3));
        Assert.That(durations.GetMeasurementSnapshot().Select(m => m.Tags["gen_ai.provider.name"]), Is.All.EqualTo("onnx"));
        Assert.That(documents.GetMeasurementSnapshot().Select(m => m.Value), Is.EqualTo(new[] { 3, 3, 2 }));
        Assert.That(hits.GetMeasurementSnapshot().Sum(m => m.Value), Is.EqualTo(2));
        Assert.That(misses.GetMeasurementSnapshot().Sum(m => m.Value), Is.EqualTo(3), "the failed call's misses are not in the fallback's answer");
        CollectedMeasurement<long> fallback = fallbacks.GetMeasurementSnapshot().Single();
        Assert.That(fallback.Tags["rerank.fallback.answered_by"], Is.EqualTo("bm25"));
        Assert.That(tokens.GetMeasurementSnapshot().Select(m => (m.Value, m.Tags["gen_ai.token.type"])), Is.EqualTo(new[] { (3L, (object?)"input"), (3L, "input") }), "the two calls that reached a model");
        Activity last = _recorder.Stopped.Last();
        Assert.That((last.GetTagItem("rerank.cache.hits"), last.GetTagItem("rerank.cache.misses")), Is.EqualTo(((object)2, (object)0)));
    }

    [Test]
    public async Task Chunked_documents_are_counted()
    {
        using var chunked = Collect<long>(RerankTelemetry.ChunkedDocumentsMetric);
        using IReranker reranker = new RerankerBuilder(new ProbeReranker())
            .UseOpenTelemetry(meterFactory: _meters)
            .UseLongDocuments(o => { o.WindowSize = 20; o.Overlap = 5; })
            .Build();

        await reranker.RerankAsync(Query, ["a document that is certainly longer than twenty characters", "short", "another one well over the twenty character window"]);

        Assert.That(chunked.GetMeasurementSnapshot().Single().Value, Is.EqualTo(2));
        Assert.That(_recorder.Stopped.Single().GetTagItem("rerank.chunked_documents"), Is.EqualTo(2));
    }

    [Test]
    public async Task Documents_a_real_provider_truncates_are_counted()
    {
        // The LLM reranker cuts documents to MaxCharactersPerDocument and says so under the shared key; nothing here writes it by hand.
        using var truncations = Collect<long>(RerankTelemetry.TruncationsMetric);
        IReranker llm = ScriptedChatClient.FromTexts("""{"scores":[{"id":"d1","score":2},{"id":"d2","score":9},{"id":"d3","score":5}]}""")
            .AsReranker(new LlmRerankerOptions { MaxCharactersPerDocument = 20 });
        using IReranker reranker = new RerankerBuilder(llm).UseOpenTelemetry(meterFactory: _meters).Build();

        await reranker.RerankAsync(Query, ["a document that is certainly longer than twenty characters", "short", "another one well over the twenty character limit"]);

        Assert.That(truncations.GetMeasurementSnapshot().Single().Value, Is.EqualTo(2));
    }

    [Test]
    public async Task A_lazy_document_sequence_is_counted_and_enumerated_once()
    {
        using IReranker reranker = new RerankerBuilder(new ProbeReranker()).UseOpenTelemetry(meterFactory: _meters).Build();
        int enumerations = 0;
        IEnumerable<RerankDocument> Lazy()
        {
            enumerations++;
            foreach (string text in Texts)
            {
                yield return text;
            }
        }

        RerankResponse response = await reranker.RerankAsync(Query, Lazy());

        Assert.That(enumerations, Is.EqualTo(1));
        Assert.That(response.Results, Has.Count.EqualTo(3));
        Assert.That(_recorder.Stopped.Single().GetTagItem("rerank.request.document_count"), Is.EqualTo(3));
    }

    [Test]
    public async Task The_meter_factory_is_resolved_from_dependency_injection_and_the_default_names_are_Rerank()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IMeterFactory>(_meters);
        services.AddReranker(new ProbeReranker()).UseOpenTelemetry();
        using ServiceProvider provider = services.BuildServiceProvider();
        using var durations = Collect<double>(RerankTelemetry.OperationDurationMetric);

        await provider.GetRequiredService<IReranker>().RerankAsync(Query, Texts);

        Assert.That(durations.GetMeasurementSnapshot(), Has.Count.EqualTo(1));
        Assert.That(durations.Instrument!.Meter.Name, Is.EqualTo("Rerank"));
        Assert.That(durations.Instrument.Unit, Is.EqualTo("s"));
    }

    [Test]
    public async Task Without_listeners_the_call_passes_straight_through()
    {
        _recorder.Dispose();
        var probe = new ProbeReranker();
        using IReranker reranker = new RerankerBuilder(probe).UseOpenTelemetry("Rerank.Nobody.Listens").Build();
        string[] documents = [.. Texts];

        RerankResponse response = await reranker.RerankAsync(Query, documents);

        Assert.That(response.Results, Has.Count.EqualTo(3));
        Assert.That(probe.Calls.Single().Documents, Has.Count.EqualTo(3));
    }

    private MetricCollector<T> Collect<T>(string instrument)
        where T : struct => new(_meters, RerankTelemetry.SourceName, instrument);

    /// <summary>A pass-through layer that reports other metadata, standing in for a remote provider.</summary>
    private sealed class MetadataReranker(IReranker inner, RerankerMetadata metadata) : DelegatingReranker(inner)
    {
        public override object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceType == typeof(RerankerMetadata) && serviceKey is null ? metadata : base.GetService(serviceType, serviceKey);
    }
}
