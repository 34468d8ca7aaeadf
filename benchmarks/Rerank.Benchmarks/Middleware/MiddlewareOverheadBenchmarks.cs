using System.Diagnostics;
using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging;

namespace Rerank.Benchmarks.Middleware;

/// <summary>
/// The cost of each middleware layer around a reranker that costs next to nothing: a call of 50 documents, TopN 10,
/// through one layer at a time. A layer's overhead is its time minus <c>none</c>; compare it with a MiniLM-L6 forward
/// pass over the same 50 documents (docs/performance.md).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class MiddlewareOverheadBenchmarks
{
    private static readonly RerankOptions Options = new() { TopN = 10 };

    private IReranker _reranker = null!;
    private RerankDocument[] _documents = null!;
    private ActivityListener? _activities;
    private MeterListener? _meters;

    /// <summary>Gets or sets the layer under test.</summary>
    [Params("none", "timeout", "fallback", "batching-pass-through", "batching-split-32", "deduplication", "long-documents", "logging", "opentelemetry-unobserved", "opentelemetry-observed", "full-pipeline-cache-hit")]
    public string Layer { get; set; } = "none";

    [GlobalSetup]
    public void Setup()
    {
        _documents = MiddlewareCandidates.Create();
        var builder = new RerankerBuilder(new InstantReranker());
        _ = Layer switch
        {
            "none" => builder,
            "timeout" => builder.UseTimeout(TimeSpan.FromSeconds(1)),
            "fallback" => builder.UseFallback(new FirstStageOrderReranker()),
            "batching-pass-through" => builder.UseBatching(64, o => o.CoalescingWindow = TimeSpan.Zero),
            "batching-split-32" => builder.UseBatching(32, o => o.CoalescingWindow = TimeSpan.Zero),
            "deduplication" => builder.UseDeduplication(),
            "long-documents" => builder.UseLongDocuments(),
            "logging" => builder.UseLogging(new DiscardingLoggerFactory()),
            "opentelemetry-unobserved" => builder.UseOpenTelemetry("Rerank.Benchmarks.Unobserved"),
            "opentelemetry-observed" => Observe(builder.UseOpenTelemetry("Rerank.Benchmarks.Observed"), "Rerank.Benchmarks.Observed"),
            "full-pipeline-cache-hit" => builder
                .UseOpenTelemetry("Rerank.Benchmarks.Unobserved")
                .UseFallback(new FirstStageOrderReranker()) // set-dependent member: the cache goes below the chain
                .UseMemoryCache()
                .UseTimeout(TimeSpan.FromSeconds(1))
                .UseBatching(32, o => o.CoalescingWindow = TimeSpan.Zero),
            _ => throw new ArgumentOutOfRangeException(nameof(Layer), Layer, null),
        };
        _reranker = builder.Build();
        _reranker.RerankAsync(MiddlewareCandidates.Query, _documents, Options).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _reranker.Dispose();
        _activities?.Dispose();
        _meters?.Dispose();
    }

    /// <summary>One call of 50 documents through the layer.</summary>
    [Benchmark]
    public Task<RerankResponse> Rerank50() => _reranker.RerankAsync(MiddlewareCandidates.Query, _documents, Options);

    private RerankerBuilder Observe(RerankerBuilder builder, string source)
    {
        // What an exporter's listeners cost at the least: every span sampled and every instrument enabled.
        _activities = new ActivityListener
        {
            ShouldListenTo = s => s.Name == source,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(_activities);
        _meters = new MeterListener { InstrumentPublished = (instrument, listener) => { if (instrument.Meter.Name == source) { listener.EnableMeasurementEvents(instrument); } } };
        _meters.Start();
        return builder;
    }

    /// <summary>A logger enabled from Information up that drops every message: the layer's own cost, not a sink's.</summary>
    private sealed class DiscardingLoggerFactory : ILoggerFactory, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
        }

        public void Dispose()
        {
        }
    }
}
