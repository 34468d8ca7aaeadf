using Rerank;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers one reranking pipeline with dependency injection: the shortcut for an application with one reranker (or a few keyed ones).</summary>
/// <remarks>
/// <para>
/// For several named rerankers, configuration binding, a default, start-up loading and a health check, use
/// <c>services.AddReranking()</c> (<see cref="RerankingServiceCollectionExtensions"/>) instead.
/// </para>
/// <para>
/// Whatever the lifetime asked for, each registration's pipeline (its inner reranker, caches, coalescers and model sessions) is
/// built once per container from the root services and shared: a scoped or transient registration resolves a handle per scope
/// (or per resolution) to that one pipeline, and disposing the handle at the end of a scope leaves the pipeline alone. So a
/// factory must not depend on scoped services. The container disposes the pipeline, and what the factory created, when it is
/// disposed; a reranker passed in as an instance stays the caller's.
/// </para>
/// </remarks>
public static class RerankerServiceCollectionExtensions
{
    /// <summary>Registers <paramref name="innerReranker"/> as the <see cref="IReranker"/> service and returns a builder to add middleware.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="innerReranker">The reranker at the centre of the pipeline.</param>
    /// <param name="lifetime">
    /// The lifetime of the service resolved; singleton by default. Whatever the lifetime, the pipeline is built once per container
    /// (see <see cref="RerankerServiceCollectionExtensions"/>), and <paramref name="innerReranker"/> stays yours: disposing the
    /// container disposes the layers the builder created, never <paramref name="innerReranker"/>.
    /// </param>
    /// <returns>A builder whose <c>Use…</c> calls add layers to the registered pipeline.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="innerReranker"/> is <see langword="null"/>.</exception>
    public static RerankerBuilder AddReranker(this IServiceCollection services, IReranker innerReranker, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(innerReranker);
        return services.AddReranker(_ => new SharedInstanceReranker(innerReranker), lifetime);
    }

    /// <summary>Registers the <see cref="IReranker"/> service built from <paramref name="innerRerankerFactory"/> and returns a builder to add middleware.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="innerRerankerFactory">Creates the reranker at the centre of the pipeline.</param>
    /// <param name="lifetime">
    /// The lifetime of the service resolved; singleton by default. Whatever the lifetime, the factory runs once per container, from
    /// the root services, and the pipeline it is wrapped in is shared by every scope and disposed with the container.
    /// </param>
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
        Register(services, keyed: false, serviceKey: null, builder, lifetime);
        return builder;
    }

    /// <summary>Registers <paramref name="innerReranker"/> as a keyed <see cref="IReranker"/> service and returns a builder to add middleware.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The key to resolve the reranker with, e.g. through <c>[FromKeyedServices("cohere")]</c>.</param>
    /// <param name="innerReranker">The reranker at the centre of the pipeline.</param>
    /// <param name="lifetime">
    /// The lifetime of the service resolved; singleton by default. Whatever the lifetime, the pipeline is built once per container
    /// (see <see cref="RerankerServiceCollectionExtensions"/>), and <paramref name="innerReranker"/> stays yours: disposing the
    /// container disposes the layers the builder created, never <paramref name="innerReranker"/>.
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
        return services.AddKeyedReranker(serviceKey, _ => new SharedInstanceReranker(innerReranker), lifetime);
    }

    /// <summary>Registers a keyed <see cref="IReranker"/> service built from <paramref name="innerRerankerFactory"/> and returns a builder to add middleware.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The key to resolve the reranker with, e.g. through <c>[FromKeyedServices("cohere")]</c>.</param>
    /// <param name="innerRerankerFactory">Creates the reranker at the centre of the pipeline.</param>
    /// <param name="lifetime">
    /// The lifetime of the service resolved; singleton by default. Whatever the lifetime, the factory runs once per container, from
    /// the root services, and the pipeline it is wrapped in is shared by every scope and disposed with the container.
    /// </param>
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
        Register(services, keyed: true, serviceKey, builder, lifetime);
        return builder;
    }

    private static void Register(IServiceCollection services, bool keyed, object? serviceKey, RerankerBuilder builder, ServiceLifetime lifetime)
    {
        if (lifetime == ServiceLifetime.Singleton)
        {
            services.Add(keyed
                ? new ServiceDescriptor(typeof(IReranker), serviceKey, (sp, _) => builder.Build(sp), lifetime)
                : new ServiceDescriptor(typeof(IReranker), builder.Build, lifetime));
            return;
        }

        // Building per scope would give every request a private cache, coalescer and model session that never help the next one.
        // The pipeline is a singleton under a key nobody else holds; the registration's lifetime is that of a non-owning handle.
        object pipelineKey = new();
        services.AddKeyedSingleton(pipelineKey, (sp, _) => new SharedPipeline(builder.Build(sp)));
        IReranker Handle(IServiceProvider sp) => new SharedInstanceReranker(sp.GetRequiredKeyedService<SharedPipeline>(pipelineKey).Reranker);
        services.Add(keyed
            ? new ServiceDescriptor(typeof(IReranker), serviceKey, (sp, _) => Handle(sp), lifetime)
            : new ServiceDescriptor(typeof(IReranker), Handle, lifetime));
    }
}
