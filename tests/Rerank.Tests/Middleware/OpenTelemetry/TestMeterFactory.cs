using System.Diagnostics.Metrics;

namespace Rerank.Tests.Middleware.OpenTelemetry;

/// <summary>An <see cref="IMeterFactory"/> whose meters carry it as their scope, so a MetricCollector sees only this test's measurements.</summary>
public sealed class TestMeterFactory : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options.Name, options.Version, options.Tags, this);
        lock (_meters)
        {
            _meters.Add(meter);
        }

        return meter;
    }

    public void Dispose()
    {
        lock (_meters)
        {
            _meters.ForEach(m => m.Dispose());
        }
    }
}
