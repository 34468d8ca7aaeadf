using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Rerank;

/// <summary>Builds the named rerankers when the host starts, as <see cref="RerankingOptions.Loading"/> asks: in the background, or before the host finishes starting.</summary>
internal sealed partial class RerankerStartupLoader(RerankerRegistry registry, ILoggerFactory? loggerFactory = null) : IHostedService
{
    private readonly ILogger _logger = loggerFactory?.CreateLogger<RerankerStartupLoader>() ?? NullLogger<RerankerStartupLoader>.Instance;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        switch (registry.Loading)
        {
            case RerankerLoading.Background:
                // Failures are recorded for the health check and logged by the registry; the next use retries.
                _ = Task.Run(registry.LoadAll, CancellationToken.None);
                break;
            case RerankerLoading.Startup:
                IReadOnlyList<Exception> failures = await Task.Run(registry.LoadAll, cancellationToken).ConfigureAwait(false);
                if (failures.Count > 0)
                {
                    throw new InvalidOperationException(
                        $"{failures.Count} reranker(s) failed to load at start-up (Loading is Startup): {string.Join(" ", failures.Select(f => f.Message))}",
                        new AggregateException(failures));
                }

                LogLoaded(_logger, registry.Names.Count);
                break;
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(1, LogLevel.Information, "{Count} reranker(s) loaded at start-up.")]
    private static partial void LogLoaded(ILogger logger, int count);
}
