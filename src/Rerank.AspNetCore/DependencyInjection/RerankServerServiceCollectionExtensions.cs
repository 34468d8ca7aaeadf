using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Rerank.AspNetCore;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the options of the rerank endpoints that <c>app.MapRerankEndpoints()</c> serves.</summary>
public static class RerankServerServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="RerankServerOptions"/> from the <c>RerankServer</c> configuration section, applies <paramref name="configure"/>
    /// and validates the result when the host starts, so a bad limit stops the server instead of surfacing on the first request.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Changes applied after binding, or <see langword="null"/>.</param>
    /// <returns>The options builder, to chain more configuration.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    /// <remarks>The rerankers themselves are registered with <c>services.AddReranking()</c> (by name) or as (keyed) <c>IReranker</c>s.</remarks>
    public static OptionsBuilder<RerankServerOptions> AddRerankServer(this IServiceCollection services, Action<RerankServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        OptionsBuilder<RerankServerOptions> builder = services.AddOptions<RerankServerOptions>()
            .BindConfiguration(RerankServerOptions.DefaultConfigurationSectionPath);
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RerankServerOptions>, RerankServerOptionsValidator>());
        return builder.ValidateOnStart();
    }
}
