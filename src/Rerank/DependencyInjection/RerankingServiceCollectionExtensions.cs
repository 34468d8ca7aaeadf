using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rerank;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers all of an application's rerankers, in code or from configuration, through one entry point: <c>services.AddReranking()</c>.</summary>
/// <remarks>
/// <para>
/// Each named reranker resolves as <c>[FromKeyedServices("name")] IReranker</c> and through <see cref="IRerankerProvider"/>; the
/// default one (<see cref="RerankingOptions.Default"/>) as <see cref="IReranker"/>, unless an <see cref="IReranker"/> was
/// registered otherwise (such as by <c>AddReranker</c>), which then stays. Every pipeline is a singleton built from the root
/// services, so its caches, coalescers and model sessions serve every scope; the container disposes what the registration
/// built, and never a reranker or dependency you passed in.
/// </para>
/// <para>
/// The whole registration is checked when the host starts (<c>ValidateOnStart</c>), or when <see cref="IRerankerProvider"/> is
/// first resolved without a host: unknown providers and keys, missing packages, bad values, fallback cycles and an unknown
/// default each fail with a message that starts with the configuration path. See docs/dependency-injection.md.
/// </para>
/// </remarks>
public static class RerankingServiceCollectionExtensions
{
    /// <summary>Registers the reranking services and returns a builder to add named rerankers to.</summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The builder; each provider package adds its <c>Add…</c> methods to it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    /// <example>
    /// <code>
    /// builder.Services.AddReranking(o => o.Default = "cohere")
    ///     .AddCohere("cohere").UseTimeout(TimeSpan.FromMilliseconds(800));
    /// builder.Services.AddReranking().AddBm25();
    /// </code>
    /// </example>
    public static IRerankingBuilder AddReranking(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return new RerankingBuilder(services, GetOrAddSetup(services));
    }

    /// <summary>Registers the reranking services with settings and returns a builder to add named rerankers to.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the default reranker and when rerankers load.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    public static IRerankingBuilder AddReranking(this IServiceCollection services, Action<RerankingOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        IRerankingBuilder builder = services.AddReranking();
        services.Configure(configure);
        return builder;
    }

    /// <summary>Registers the rerankers described by a configuration section (see docs/dependency-injection.md for the schema) and returns a builder to add more in code.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The section, such as <c>builder.Configuration.GetSection("Reranking")</c>, with the keys <c>Default</c>, <c>Loading</c> and <c>Rerankers</c>.</param>
    /// <returns>The builder. Providers of other packages are registered on it (<c>AddCohereProvider()</c>, <c>AddOnnxProvider()</c>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configuration"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="configuration"/> is a configuration root, not a section.</exception>
    /// <remarks>
    /// The names under <c>Rerankers</c> are read now, to register one keyed service per name; everything else is read and checked
    /// at start-up. Secrets such as API keys belong in user secrets or environment variables
    /// (<c>Reranking__Rerankers__cohere__ApiKey</c>), which the configuration merges; they are never logged or put in a message.
    /// </remarks>
    /// <example>
    /// <code>
    /// builder.Services.AddReranking(builder.Configuration.GetSection("Reranking"))
    ///     .AddCohereProvider()
    ///     .AddOnnxProvider();
    /// </code>
    /// </example>
    public static IRerankingBuilder AddReranking(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration is not IConfigurationSection section)
        {
            throw new ArgumentException("Pass the reranking section, such as configuration.GetSection(\"Reranking\"), not the whole configuration.", nameof(configuration));
        }

        RerankingSetup setup = GetOrAddSetup(services);
        setup.Sections.Add(section);
        services.Configure<RerankingOptions>(options =>
        {
            // Bad values are reported, with their path, by the validator.
            if (section["Default"] is string name && !string.IsNullOrWhiteSpace(name))
            {
                options.Default = name.Trim();
            }

            if (section["Loading"] is string loading && RerankingPlan.TryParseLoading(loading, out RerankerLoading value))
            {
                options.Loading = value;
            }
        });

        foreach (IConfigurationSection entry in section.GetSection("Rerankers").GetChildren())
        {
            AddKeyed(services, setup, entry.Key);
        }

        return new RerankingBuilder(services, setup);
    }

    /// <summary>Finds the registration's state in <paramref name="services"/>, adding the reranking services the first time.</summary>
    internal static RerankingSetup GetOrAddSetup(IServiceCollection services)
    {
        if (services.FirstOrDefault(d => d.ServiceType == typeof(RerankingSetup) && d.ImplementationInstance is RerankingSetup)?.ImplementationInstance is RerankingSetup existing)
        {
            return existing;
        }

        var setup = new RerankingSetup();
        services.AddSingleton(setup);
        services.AddOptions<RerankingOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RerankingOptions>, RerankingOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<RerankerProviderFactory, Bm25ProviderFactory>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<RerankerProviderFactory, FirstStageProviderFactory>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<RerankerProviderFactory, LlmProviderFactory>());
        services.TryAddSingleton(sp => new RerankerRegistry(
            sp,
            RerankingPlan.For(setup, sp.GetRequiredService<IOptions<RerankingOptions>>().Value, sp.GetServices<RerankerProviderFactory>(), sp.GetService<IServiceProviderIsService>()),
            sp.GetService<ILoggerFactory>()));
        services.TryAddSingleton<IRerankerProvider>(sp => sp.GetRequiredService<RerankerRegistry>());
        services.TryAddSingleton<IReranker>(sp => sp.GetRequiredService<RerankerRegistry>().GetDefault());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RerankerStartupLoader>());
        return setup;
    }

    /// <summary>Registers the keyed <see cref="IReranker"/> of one name, once.</summary>
    internal static void AddKeyed(IServiceCollection services, RerankingSetup setup, string name)
    {
        if (setup.KeyedNames.Add(name))
        {
            services.AddKeyedSingleton<IReranker>(name, (sp, _) => sp.GetRequiredService<RerankerRegistry>().GetReranker(name));
        }
    }
}
