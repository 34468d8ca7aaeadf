using Microsoft.Extensions.DependencyInjection;

namespace Rerank;

/// <summary>Adds a <see cref="TimeoutReranker"/> to a pipeline.</summary>
public static class TimeoutRerankerBuilderExtensions
{
    /// <summary>Gives every call of the layers below a fixed time; when it elapses, the call is cancelled and <see cref="RerankTimeoutException"/> is thrown.</summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="timeout">The time each call is given: positive; <see cref="Timeout.InfiniteTimeSpan"/> adds no layer.</param>
    /// <param name="timeProvider">The clock, or <see langword="null"/> for the <see cref="TimeProvider"/> registered in the services given to <see cref="RerankerBuilder.Build"/>, else <see cref="TimeProvider.System"/>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is zero or negative (other than infinite).</exception>
    /// <remarks>Put <c>UseFallback</c> outside this layer to answer with another reranker when the time runs out.</remarks>
    public static RerankerBuilder UseTimeout(this RerankerBuilder builder, TimeSpan timeout, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        TimeoutReranker.ValidateTimeout(timeout);
        return timeout == Timeout.InfiniteTimeSpan
            ? builder
            : builder.Use((inner, services) => new TimeoutReranker(inner, timeout, timeProvider ?? services.GetService<TimeProvider>()));
    }
}
