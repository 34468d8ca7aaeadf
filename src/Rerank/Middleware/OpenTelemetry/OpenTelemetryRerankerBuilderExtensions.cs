using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Rerank;

/// <summary>Adds an <see cref="OpenTelemetryReranker"/> to a pipeline.</summary>
public static class OpenTelemetryRerankerBuilderExtensions
{
    /// <summary>Reports every call as an OpenTelemetry span and metrics under <paramref name="sourceName"/>; use it as the first (outermost) layer.</summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="sourceName">The activity source and meter name; <see cref="RerankTelemetry.SourceName"/> (<c>Rerank</c>) if <see langword="null"/>.</param>
    /// <param name="meterFactory">Creates the meter, or <see langword="null"/> to resolve <see cref="IMeterFactory"/> from the services given to <see cref="RerankerBuilder.Build"/> (else a standalone meter).</param>
    /// <param name="timeProvider">The clock that times each call, or <see langword="null"/> to resolve <see cref="TimeProvider"/> from the services given to <see cref="RerankerBuilder.Build"/> (else <see cref="TimeProvider.System"/>).</param>
    /// <param name="monitoredTopK">The depth k of the top-k overlap metric (<see cref="RerankTelemetry.TopKOverlapMetric"/>); at least 1. Set it to the TopN your application uses.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="monitoredTopK"/> is less than 1.</exception>
    /// <remarks>The layer is always added: listeners may attach after the pipeline is built, and with none it costs a few checks per call.</remarks>
    public static RerankerBuilder UseOpenTelemetry(
        this RerankerBuilder builder,
        string? sourceName = null,
        IMeterFactory? meterFactory = null,
        TimeProvider? timeProvider = null,
        int monitoredTopK = OpenTelemetryReranker.DefaultMonitoredTopK)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentOutOfRangeException.ThrowIfLessThan(monitoredTopK, 1);
        return builder.Use((inner, services) => new OpenTelemetryReranker(
            inner, sourceName, meterFactory ?? services.GetService<IMeterFactory>(), timeProvider ?? services.GetService<TimeProvider>(), monitoredTopK));
    }
}
