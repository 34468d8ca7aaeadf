using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Rerank.Testing;

namespace Rerank.Tests.Middleware.Logging;

/// <summary>The contract suite through the logging layer, logging at every level.</summary>
[TestFixture]
public sealed class LoggingContractTests : RerankerContractTests
{
    private TestReranker? _inner;

    protected override long BackendCallCount => _inner!.BackendCalls;

    protected override IReranker CreateReranker()
    {
        var logger = new FakeLogger(new FakeLogCollector(Microsoft.Extensions.Options.Options.Create(new FakeLogCollectorOptions())));
        logger.ControlLevel(LogLevel.Trace, true);
        return new LoggingReranker(_inner = new TestReranker(), logger);
    }
}
