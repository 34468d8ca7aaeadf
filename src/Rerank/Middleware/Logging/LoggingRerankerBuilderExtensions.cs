using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Rerank;

/// <summary>Adds a <see cref="LoggingReranker"/> to a pipeline.</summary>
public static class LoggingRerankerBuilderExtensions
{
    /// <summary>Logs every call of the layers below: completions at Information (counts and duration, never text), starts at Debug, query and texts only at Trace, failures at Error.</summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="loggerFactory">The logger factory, or <see langword="null"/> to resolve it from the services given to <see cref="RerankerBuilder.Build"/>. When there is none, or it is <see cref="NullLoggerFactory"/>, no layer is added.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static RerankerBuilder UseLogging(this RerankerBuilder builder, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) =>
        {
            ILoggerFactory? factory = loggerFactory ?? services.GetService<ILoggerFactory>();
            return factory is null or NullLoggerFactory ? inner : new LoggingReranker(inner, factory.CreateLogger<LoggingReranker>());
        });
    }
}
