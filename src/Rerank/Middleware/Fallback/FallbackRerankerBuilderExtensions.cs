using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Rerank;

/// <summary>Adds a <see cref="FallbackReranker"/> to a pipeline.</summary>
public static class FallbackRerankerBuilderExtensions
{
    /// <summary>Answers with <paramref name="fallback"/> when the layers below fail.</summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="fallback">The reranker that answers instead; the pipeline owns it and disposes it with itself (docs/ownership.md).</param>
    /// <param name="configure">Configures which failures are handled.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="fallback"/> is <see langword="null"/>.</exception>
    public static RerankerBuilder UseFallback(this RerankerBuilder builder, IReranker fallback, Action<FallbackRerankerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(fallback);
        return builder.UseFallback([fallback], configure);
    }

    /// <summary>Answers with the first of <paramref name="fallbacks"/> that succeeds when the layers below fail, e.g. an ONNX model, then BM25, then <see cref="FirstStageOrderReranker"/>.</summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="fallbacks">The rerankers tried in order; an empty chain adds no layer. The pipeline owns them and disposes them with itself (docs/ownership.md).</param>
    /// <param name="configure">Configures which failures are handled.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="fallbacks"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="fallbacks"/> contains <see langword="null"/>.</exception>
    public static RerankerBuilder UseFallback(this RerankerBuilder builder, IEnumerable<IReranker> fallbacks, Action<FallbackRerankerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(fallbacks);
        IReranker[] chain = [.. fallbacks];
        if (Array.IndexOf(chain, null) is int nullAt && nullAt >= 0)
        {
            throw new ArgumentException($"The fallback at index {nullAt} is null.", nameof(fallbacks));
        }

        return chain.Length == 0 ? builder : builder.Use((inner, services) => Create(inner, chain, configure, services, ownsFallbacks: true));
    }

    /// <summary>Answers with the first fallback that succeeds when the layers below fail; the chain is resolved from the services given to <see cref="RerankerBuilder.Build"/>, e.g. keyed rerankers.</summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="fallbacksFactory">Returns the fallbacks in order; an empty chain adds no layer. What it returns is not disposed with the pipeline: rerankers resolved from the service provider belong to the container (register one the factory would create instead, or pass instances to the other overloads).</param>
    /// <param name="configure">Configures which failures are handled.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="fallbacksFactory"/> is <see langword="null"/>.</exception>
    /// <example>
    /// <code>
    /// services.AddReranker(sp => sp.GetRequiredKeyedService&lt;IReranker&gt;("cohere"))
    ///     .UseFallback(sp => [sp.GetRequiredKeyedService&lt;IReranker&gt;("onnx"), new FirstStageOrderReranker()]);
    /// </code>
    /// </example>
    public static RerankerBuilder UseFallback(this RerankerBuilder builder, Func<IServiceProvider, IEnumerable<IReranker>> fallbacksFactory, Action<FallbackRerankerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(fallbacksFactory);
        return builder.Use((inner, services) => Create(inner, [.. fallbacksFactory(services) ?? []], configure, services, ownsFallbacks: false));
    }

    private static IReranker Create(IReranker inner, IReranker[] chain, Action<FallbackRerankerOptions>? configure, IServiceProvider services, bool ownsFallbacks)
    {
        if (chain.Length == 0)
        {
            return inner;
        }

        var options = new FallbackRerankerOptions();
        configure?.Invoke(options);
        return new FallbackReranker(inner, chain, options, services.GetService<ILoggerFactory>()?.CreateLogger<FallbackReranker>(), ownsFallbacks);
    }
}
