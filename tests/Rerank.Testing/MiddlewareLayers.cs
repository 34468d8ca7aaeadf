using Microsoft.Extensions.Logging;

namespace Rerank.Testing;

/// <summary>
/// Every middleware of the Rerank package, by name, as a function that wraps a given inner reranker; provider test
/// projects run the contract suite over their reranker inside each one (a fixture per name), so that a layer that
/// mishandles a kind of provider (synchronous, CPU-bound, remote) fails a test.
/// </summary>
public static class MiddlewareLayers
{
    /// <summary>The layer names, for <c>[TestFixtureSource]</c>.</summary>
    public static readonly string[] Names =
    [
        "timeout",
        "fallback",
        "memory-cache",
        "deduplication",
        "long-documents",
        "batching-split",
        "batching-coalescing",
        "logging",
        "opentelemetry",
        "every-layer",
    ];

    /// <summary>Builds the pipeline named <paramref name="layer"/> around <paramref name="inner"/>; the pipeline owns it.</summary>
    /// <param name="layer">One of <see cref="Names"/>.</param>
    /// <param name="inner">The reranker under test.</param>
    /// <returns>The pipeline.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="layer"/> is not one of <see cref="Names"/>.</exception>
    public static IReranker Wrap(string layer, IReranker inner)
    {
        var builder = new RerankerBuilder(inner);
        return (layer switch
        {
            // Limits far beyond any test call: the layers are exercised, never triggered.
            "timeout" => builder.UseTimeout(TimeSpan.FromMinutes(5)),
            "fallback" => builder.UseFallback(new FirstStageOrderReranker()),
            "memory-cache" => builder.UseMemoryCache(),
            "deduplication" => builder.UseDeduplication(),
            "long-documents" => builder.UseLongDocuments(o => { o.WindowSize = 30; o.Overlap = 10; }),
            "batching-split" => builder.UseBatching(3, o => { o.CoalescingWindow = TimeSpan.Zero; o.MaxConcurrency = 2; }),
            "batching-coalescing" => builder.UseBatching(64, o => o.CoalescingWindow = TimeSpan.FromMilliseconds(1)),
            "logging" => builder.UseLogging(EnabledLoggerFactory.Instance),
            "opentelemetry" => builder.UseOpenTelemetry(),
            "every-layer" => builder
                .UseOpenTelemetry()
                .UseLogging(EnabledLoggerFactory.Instance)
                .UseMemoryCache()
                .UseFallback(new FirstStageOrderReranker())
                .UseTimeout(TimeSpan.FromMinutes(5))
                .UseDeduplication()
                .UseLongDocuments(o => { o.WindowSize = 30; o.Overlap = 10; })
                .UseBatching(4, o => { o.CoalescingWindow = TimeSpan.Zero; o.MaxConcurrency = 2; }),
            _ => throw new ArgumentOutOfRangeException(nameof(layer), layer, $"Not a layer name; use one of {string.Join(", ", Names)}."),
        }).Build();
    }

    /// <summary>A logger factory whose loggers are enabled at every level and write nowhere, so the logging layer takes its logging path.</summary>
    private sealed class EnabledLoggerFactory : ILoggerFactory, ILogger
    {
        public static readonly EnabledLoggerFactory Instance = new();

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) => _ = formatter(state, exception);

        public void Dispose()
        {
        }
    }
}
