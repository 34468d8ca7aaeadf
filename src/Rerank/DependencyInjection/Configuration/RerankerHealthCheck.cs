using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Rerank;

/// <summary>
/// Reports whether each reranker registered by <c>AddReranking</c> is ready: register it with
/// <c>services.AddHealthChecks().AddCheck&lt;RerankerHealthCheck&gt;("reranking", tags: ["ready"])</c>.
/// </summary>
/// <remarks>
/// <para>
/// A reranker that failed to build, or that is still loading, makes the check report the registration's failure status
/// (<see cref="HealthStatus.Unhealthy"/> unless set otherwise), with the reranker's name and error. With
/// <see cref="RerankerLoading.Lazy"/> loading, a reranker not built yet is healthy (it loads on first use); with
/// <see cref="RerankerLoading.Background"/> or <see cref="RerankerLoading.Startup"/> it counts as loading. The check never builds
/// a reranker itself.
/// </para>
/// <para>The result's data maps each name to <c>NotLoaded</c>, <c>Loading</c>, <c>Ready</c> or <c>Failed</c>. Error messages never contain API keys.</para>
/// </remarks>
public sealed class RerankerHealthCheck : IHealthCheck
{
    private readonly IRerankerProvider _provider;

    /// <summary>Initializes a new instance of the <see cref="RerankerHealthCheck"/> class.</summary>
    /// <param name="provider">The application's rerankers.</param>
    /// <exception cref="ArgumentNullException"><paramref name="provider"/> is <see langword="null"/>.</exception>
    public RerankerHealthCheck(IRerankerProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        _provider = provider;
    }

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        HealthStatus failureStatus = context.Registration?.FailureStatus ?? HealthStatus.Unhealthy;
        if (_provider is not RerankerRegistry registry)
        {
            // Another implementation says nothing about loading: report what it has.
            return Task.FromResult(HealthCheckResult.Healthy($"{_provider.Names.Count} reranker(s) registered."));
        }

        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        var problems = new List<string>();
        Exception? firstError = null;
        foreach ((string name, RerankerReadiness state, Exception? error) in registry.Snapshot())
        {
            RerankerReadiness reported = state == RerankerReadiness.NotLoaded && registry.Loading != RerankerLoading.Lazy ? RerankerReadiness.Loading : state;
            data[name] = reported.ToString();
            if (reported == RerankerReadiness.Failed)
            {
                problems.Add($"'{name}' failed: {error?.InnerException?.Message ?? error?.Message}");
                firstError ??= error;
            }
            else if (reported == RerankerReadiness.Loading)
            {
                problems.Add($"'{name}' is loading");
            }
        }

        HealthCheckResult result = problems.Count == 0
            ? HealthCheckResult.Healthy($"{data.Count} reranker(s) ready or loading on first use.", data)
            : new HealthCheckResult(failureStatus, string.Join("; ", problems) + ".", firstError, data);
        return Task.FromResult(result);
    }
}
