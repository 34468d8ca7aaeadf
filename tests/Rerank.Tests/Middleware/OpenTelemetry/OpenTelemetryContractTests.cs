using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Rerank.Testing;

namespace Rerank.Tests.Middleware.OpenTelemetry;

/// <summary>The contract suite through the OpenTelemetry layer, with a span listener and a metric collector attached.</summary>
[TestFixture]
public sealed class OpenTelemetryContractTests : RerankerContractTests
{
    private readonly string _source = "Rerank.Contract." + Guid.NewGuid().ToString("N");
    private ActivityRecorder? _recorder;
    private TestMeterFactory? _meters;
    private MetricCollector<double>? _durations;
    private TestReranker? _inner;

    protected override long BackendCallCount => _inner!.BackendCalls;

    [OneTimeSetUp]
    public void Listen()
    {
        _recorder = new ActivityRecorder(_source);
        _meters = new TestMeterFactory();
        _durations = new MetricCollector<double>(_meters, _source, RerankTelemetry.OperationDurationMetric);
    }

    [OneTimeTearDown]
    public void StopListening()
    {
        Assert.That(_recorder!.Stopped, Is.Not.Empty, "the suite's calls were traced");
        Assert.That(_durations!.GetMeasurementSnapshot(), Is.Not.Empty, "and measured");
        _durations.Dispose();
        _meters!.Dispose();
        _recorder.Dispose();
    }

    protected override IReranker CreateReranker() => new RerankerBuilder(_inner = new TestReranker()).UseOpenTelemetry(_source, _meters).Build();
}
