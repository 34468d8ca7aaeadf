using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Rerank.Testing;

namespace Rerank.Tests.Middleware;

/// <summary>The contract suite through every middleware at once, composed through dependency injection as README.md (Middleware) and docs/middleware/README.md show.</summary>
[TestFixture]
public sealed class FullPipelineContractTests : RerankerContractTests
{
    private TestReranker? _inner;
    private ServiceProvider? _services;

    protected override long BackendCallCount => _inner!.BackendCalls;

    [TearDown]
    public void DisposeServices() => _services?.Dispose();

    protected override IReranker CreateReranker()
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddFakeLogging().SetMinimumLevel(LogLevel.Trace));
        services.AddDistributedMemoryCache();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider());
        services.AddReranker(_inner = new TestReranker())
            .UseOpenTelemetry()
            .UseLogging()
            .UseDistributedCache()
            .UseFallback([new FirstStageOrderReranker()])
            .UseTimeout(TimeSpan.FromSeconds(5))
            .UseDeduplication()
            .UseLongDocuments(o => { o.WindowSize = 30; o.Overlap = 10; })
            .UseBatching(4, o => { o.CoalescingWindow = TimeSpan.Zero; o.MaxConcurrency = 2; });
        _services = services.BuildServiceProvider();

        // The service provider owns the singleton; the suite disposes the reranker it gets, and the provider after it.
        return _services.GetRequiredService<IReranker>();
    }
}
