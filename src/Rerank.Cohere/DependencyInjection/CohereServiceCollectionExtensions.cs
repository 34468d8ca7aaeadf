using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Rerank;
using Rerank.Http;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a <see cref="CohereReranker"/> with dependency injection, over a named <see cref="HttpClient"/> from <c>IHttpClientFactory</c>.</summary>
/// <remarks>
/// <para>
/// The registration binds <see cref="CohereRerankerOptions"/> from configuration, registers a named client whose handler chain
/// holds the resilience pipeline (total timeout, retries of 408/429/5xx honouring <c>Retry-After</c>, timeout per attempt, the body
/// read inside each attempt), and registers the <see cref="IReranker"/> through <c>AddReranker</c>, returning its
/// <see cref="RerankerBuilder"/> so that middleware can be chained.
/// </para>
/// <para>
/// To add handlers to the client, configure it by name: <c>services.AddHttpClient(CohereServiceCollectionExtensions.GetHttpClientName(key))</c>.
/// A <see cref="TimeProvider"/> registered in the container drives delays and timeouts.
/// </para>
/// </remarks>
public static class CohereServiceCollectionExtensions
{
    /// <summary>The name of the <see cref="HttpClient"/> and of the <see cref="CohereRerankerOptions"/> of the unkeyed registration.</summary>
    public const string HttpClientName = "Rerank.Cohere";

    /// <summary>
    /// Registers a <see cref="CohereReranker"/> as the <see cref="IReranker"/> service, bound from the configuration section
    /// <c>Reranking:Cohere</c> when an <see cref="IConfiguration"/> is registered, then adjusted by <paramref name="configure"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Adjusts the options after binding; optional.</param>
    /// <returns>A builder whose <c>Use…</c> calls add middleware around the reranker.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    /// <example>
    /// <code>
    /// builder.Services.AddCohereReranker()
    ///     .Use(inner => new MyLoggingReranker(inner));
    /// </code>
    /// </example>
    public static RerankerBuilder AddCohereReranker(this IServiceCollection services, Action<CohereRerankerOptions>? configure = null) =>
        AddCore(services, serviceKey: null, sp => sp.GetService<IConfiguration>()?.GetSection(CohereRerankerOptions.DefaultConfigurationSectionPath), configure);

    /// <summary>Registers a <see cref="CohereReranker"/> as the <see cref="IReranker"/> service, bound from <paramref name="configuration"/>, then adjusted by <paramref name="configure"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The section holding the options, such as <c>configuration.GetSection("Reranking:Cohere")</c>.</param>
    /// <param name="configure">Adjusts the options after binding; optional.</param>
    /// <returns>A builder whose <c>Use…</c> calls add middleware around the reranker.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configuration"/> is <see langword="null"/>.</exception>
    public static RerankerBuilder AddCohereReranker(this IServiceCollection services, IConfiguration configuration, Action<CohereRerankerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return AddCore(services, serviceKey: null, _ => configuration, configure);
    }

    /// <summary>
    /// Registers a <see cref="CohereReranker"/> as a keyed <see cref="IReranker"/> service, bound from the configuration section
    /// <c>Reranking:{serviceKey}</c> when an <see cref="IConfiguration"/> is registered, then adjusted by <paramref name="configure"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The key, such as <c>"jina"</c>; resolve with <c>[FromKeyedServices("jina")] IReranker</c>.</param>
    /// <param name="configure">Adjusts the options after binding; optional.</param>
    /// <returns>A builder whose <c>Use…</c> calls add middleware around the reranker.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="serviceKey"/> is <see langword="null"/>.</exception>
    public static RerankerBuilder AddKeyedCohereReranker(this IServiceCollection services, object serviceKey, Action<CohereRerankerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(serviceKey);
        return AddCore(services, serviceKey, sp => sp.GetService<IConfiguration>()?.GetSection($"Reranking:{serviceKey}"), configure);
    }

    /// <summary>Registers a <see cref="CohereReranker"/> as a keyed <see cref="IReranker"/> service, bound from <paramref name="configuration"/>, then adjusted by <paramref name="configure"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The key; resolve with <c>[FromKeyedServices(key)] IReranker</c>.</param>
    /// <param name="configuration">The section holding the options.</param>
    /// <param name="configure">Adjusts the options after binding; optional.</param>
    /// <returns>A builder whose <c>Use…</c> calls add middleware around the reranker.</returns>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="configure"/> is <see langword="null"/>.</exception>
    public static RerankerBuilder AddKeyedCohereReranker(
        this IServiceCollection services, object serviceKey, IConfiguration configuration, Action<CohereRerankerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(serviceKey);
        ArgumentNullException.ThrowIfNull(configuration);
        return AddCore(services, serviceKey, _ => configuration, configure);
    }

    /// <summary>Gets the name of the <see cref="HttpClient"/> (and of the named options) of a registration.</summary>
    /// <param name="serviceKey">The registration's key, or <see langword="null"/> for the unkeyed one.</param>
    /// <returns><see cref="HttpClientName"/>, followed by <c>:</c> and the key for a keyed registration.</returns>
    public static string GetHttpClientName(object? serviceKey) => serviceKey is null ? HttpClientName : $"{HttpClientName}:{serviceKey}";

    private static RerankerBuilder AddCore(
        IServiceCollection services, object? serviceKey, Func<IServiceProvider, IConfiguration?> configuration, Action<CohereRerankerOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        Func<IServiceProvider, IReranker> create = AddClient(services, serviceKey, configuration, configure);
        return serviceKey is null ? services.AddReranker(create) : services.AddKeyedReranker(serviceKey, create);
    }

    /// <summary>Registers the options and the named client of one registration, and returns what creates its reranker.</summary>
    internal static Func<IServiceProvider, IReranker> AddClient(
        IServiceCollection services, object? serviceKey, Func<IServiceProvider, IConfiguration?> configuration, Action<CohereRerankerOptions>? configure)
    {
        string name = GetHttpClientName(serviceKey);

        OptionsBuilder<CohereRerankerOptions> options = services.AddOptions<CohereRerankerOptions>(name)
            .Configure<IServiceProvider>((o, sp) => configuration(sp)?.Bind(o));
        if (configure is not null)
        {
            options.Configure(configure);
        }

        // Every call of AddResilienceHandler and AddHttpMessageHandler adds a handler: registering the same name twice would nest a
        // second retry loop inside the first (attempts multiply) and buffer twice. The client is set up once per name.
        if (!services.Any(d => d.ServiceType == typeof(ClientRegistration) && d.ImplementationInstance is ClientRegistration r && r.Name == name))
        {
            services.AddSingleton(new ClientRegistration(name));
            IHttpClientBuilder client = services.AddHttpClient(name)
                .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan); // the pipeline owns the timeouts
            client.AddResilienceHandler(name, (builder, context) =>
            {
                builder.TimeProvider = context.ServiceProvider.GetService<TimeProvider>() ?? TimeProvider.System;
                RerankResilience.Configure(builder, Settings(context.ServiceProvider, name), CreateLogger(context.ServiceProvider) ?? NullLogger.Instance);
            });

            // Added after the resilience handler, so inside it: each attempt reads the whole body under its own timeout.
            client.AddHttpMessageHandler(() => new ResponseBufferingHandler());
        }

        return sp =>
        {
            IHttpClientFactory factory = sp.GetRequiredService<IHttpClientFactory>();
            return new CohereReranker(() => factory.CreateClient(name), Settings(sp, name), CreateLogger(sp), sp.GetService<TimeProvider>() ?? TimeProvider.System);
        };
    }

    private static RerankerSettings Settings(IServiceProvider services, string name) =>
        RerankerSettings.From(services.GetRequiredService<IOptionsMonitor<CohereRerankerOptions>>().Get(name));

    internal static ILogger? CreateLogger(IServiceProvider services) => services.GetService<ILoggerFactory>()?.CreateLogger<CohereReranker>();

    /// <summary>Marks the named client as set up, so that a second registration under the same name adds no second handler chain.</summary>
    private sealed record ClientRegistration(string Name);
}
