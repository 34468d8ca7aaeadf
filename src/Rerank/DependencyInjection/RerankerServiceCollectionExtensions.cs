using Rerank;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers rerankers with dependency injection.</summary>
public static class RerankerServiceCollectionExtensions
{
    /// <summary>Registers <paramref name="innerReranker"/> as the <see cref="IReranker"/> service and returns a builder to add middleware.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="innerReranker">The reranker at the centre of the pipeline.</param>
    /// <param name="lifetime">
    /// The lifetime of the pipeline; singleton by default. A singleton pipeline, and <paramref name="innerReranker"/> with it, is
    /// disposed with the container. A scoped or transient pipeline is built anew around the same <paramref name="innerReranker"/>,
    /// and disposing it (at the end of a scope) never disposes <paramref name="innerReranker"/>, which stays yours to dispose.
    /// </param>
    /// <returns>A builder whose <c>Use…</c> calls add layers to the registered pipeline.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="innerReranker"/> is <see langword="null"/>.</exception>
    public static RerankerBuilder AddReranker(this IServiceCollection services, IReranker innerReranker, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(innerReranker);
        return services.AddReranker(SharedInstance(innerReranker, lifetime), lifetime);
    }

    /// <summary>Registers the <see cref="IReranker"/> service built from <paramref name="innerRerankerFactory"/> and returns a builder to add middleware.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="innerRerankerFactory">Creates the reranker at the centre of the pipeline.</param>
    /// <param name="lifetime">The service lifetime; singleton by default.</param>
    /// <returns>A builder whose <c>Use…</c> calls add layers to the registered pipeline.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="innerRerankerFactory"/> is <see langword="null"/>.</exception>
    public static RerankerBuilder AddReranker(
        this IServiceCollection services,
        Func<IServiceProvider, IReranker> innerRerankerFactory,
        ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(innerRerankerFactory);

        var builder = new RerankerBuilder(innerRerankerFactory);
        services.Add(new ServiceDescriptor(typeof(IReranker), builder.Build, lifetime));
        return builder;
    }

    /// <summary>Registers <paramref name="innerReranker"/> as a keyed <see cref="IReranker"/> service and returns a builder to add middleware.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The key to resolve the reranker with, e.g. through <c>[FromKeyedServices("cohere")]</c>.</param>
    /// <param name="innerReranker">The reranker at the centre of the pipeline.</param>
    /// <param name="lifetime">
    /// The lifetime of the pipeline; singleton by default. A singleton pipeline, and <paramref name="innerReranker"/> with it, is
    /// disposed with the container. A scoped or transient pipeline is built anew around the same <paramref name="innerReranker"/>,
    /// and disposing it (at the end of a scope) never disposes <paramref name="innerReranker"/>, which stays yours to dispose.
    /// </param>
    /// <returns>A builder whose <c>Use…</c> calls add layers to the registered pipeline.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="innerReranker"/> is <see langword="null"/>.</exception>
    public static RerankerBuilder AddKeyedReranker(
        this IServiceCollection services,
        object? serviceKey,
        IReranker innerReranker,
        ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(innerReranker);
        return services.AddKeyedReranker(serviceKey, SharedInstance(innerReranker, lifetime), lifetime);
    }

    /// <summary>Registers a keyed <see cref="IReranker"/> service built from <paramref name="innerRerankerFactory"/> and returns a builder to add middleware.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The key to resolve the reranker with, e.g. through <c>[FromKeyedServices("cohere")]</c>.</param>
    /// <param name="innerRerankerFactory">Creates the reranker at the centre of the pipeline.</param>
    /// <param name="lifetime">The service lifetime; singleton by default.</param>
    /// <returns>A builder whose <c>Use…</c> calls add layers to the registered pipeline.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="innerRerankerFactory"/> is <see langword="null"/>.</exception>
    public static RerankerBuilder AddKeyedReranker(
        this IServiceCollection services,
        object? serviceKey,
        Func<IServiceProvider, IReranker> innerRerankerFactory,
        ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(innerRerankerFactory);

        var builder = new RerankerBuilder(innerRerankerFactory);
        services.Add(new ServiceDescriptor(typeof(IReranker), serviceKey, (sp, _) => builder.Build(sp), lifetime));
        return builder;
    }

    /// <summary>
    /// The inner factory for a registered instance. The container disposes whatever a factory returns when its scope ends, and a
    /// pipeline disposes its inner reranker; so a scoped or transient pipeline gets a layer that shields the shared instance.
    /// </summary>
    private static Func<IServiceProvider, IReranker> SharedInstance(IReranker innerReranker, ServiceLifetime lifetime) =>
        lifetime == ServiceLifetime.Singleton ? _ => innerReranker : _ => new SharedInstanceReranker(innerReranker);
}
