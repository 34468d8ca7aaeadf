using System.Net;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Rerank.Http;

/// <summary>
/// Builds the resilience pipeline of a rerank request, used both inside a <see cref="CohereReranker"/> given a plain
/// <see cref="HttpClient"/> and as the resilience handler of the client registered with <c>AddCohereReranker</c>:
/// a total timeout, around retries of transient failures, around a timeout per attempt.
/// </summary>
internal static class RerankResilience
{
    /// <summary>Adds the strategies to <paramref name="builder"/>.</summary>
    /// <param name="builder">The builder; its <see cref="ResiliencePipelineBuilderBase.TimeProvider"/> drives delays and timeouts.</param>
    /// <param name="settings">The reranker's settings.</param>
    /// <param name="logger">Where retries are reported.</param>
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, RerankerSettings settings, ILogger logger)
    {
        TimeProvider timeProvider = builder.TimeProvider ?? TimeProvider.System;

        if (settings.TotalTimeout != Timeout.InfiniteTimeSpan)
        {
            builder.AddTimeout(new TimeoutStrategyOptions { Name = "RerankTotalTimeout", Timeout = settings.TotalTimeout });
        }

        if (settings.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                Name = "RerankRetry",
                MaxRetryAttempts = settings.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                Delay = settings.BaseDelay,
                MaxDelay = settings.MaxDelay,
                UseJitter = settings.UseJitter,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, settings, timeProvider)),

                // The server's Retry-After replaces the backoff; ShouldRetry has already refused one longer than MaxRetryAfter.
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Result is { } response && RetryAfter.Get(response, timeProvider) is TimeSpan wait ? wait : (TimeSpan?)null),
                OnRetry = args =>
                {
                    string reason = args.Outcome.Result is { } response
                        ? $"HTTP {(int)response.StatusCode}"
                        : args.Outcome.Exception?.GetType().Name ?? "unknown";
                    Log.Retrying(logger, settings.Dialect.Name, settings.RequestUri, reason, args.AttemptNumber + 1, settings.MaxRetryAttempts, args.RetryDelay);
                    return default;
                },
            });
        }

        if (settings.Timeout != Timeout.InfiniteTimeSpan)
        {
            builder.AddTimeout(new TimeoutStrategyOptions { Name = "RerankAttemptTimeout", Timeout = settings.Timeout });
        }
    }

    /// <summary>Gets a value indicating whether a status is worth another attempt: 408, 429 and 5xx.</summary>
    /// <param name="status">The status.</param>
    /// <returns><see langword="true"/> for a transient status.</returns>
    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, RerankerSettings settings, TimeProvider timeProvider) => outcome switch
    {
        // Connection refused or reset, a body cut short (HttpRequestException), or an attempt that ran out of time.
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } response } => IsTransient(response.StatusCode)
            && !(RetryAfter.Get(response, timeProvider) > settings.MaxRetryAfter),
        _ => false,
    };
}
