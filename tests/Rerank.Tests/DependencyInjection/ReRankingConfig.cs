using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Rerank.Tests.DependencyInjection;

/// <summary>Builds reranking configuration sections from JSON, as appsettings.json would give them, and reads start-up failures.</summary>
internal static class ReRankingConfig
{
    public static IConfigurationSection Section(string json, string path = "Reranking") =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build().GetSection(path);

    /// <summary>Resolves the provider, as the first use of a reranker would, and returns the start-up failure.</summary>
    public static OptionsValidationException Failure(IServiceCollection services)
    {
        using ServiceProvider provider = services.BuildServiceProvider();
        return Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IRerankerProvider>())!;
    }

    public static OptionsValidationException Failure(string json, Action<IRerankingBuilder>? configure = null)
    {
        var services = new ServiceCollection();
        IRerankingBuilder builder = services.AddReranking(Section(json));
        configure?.Invoke(builder);
        return Failure(services);
    }
}
