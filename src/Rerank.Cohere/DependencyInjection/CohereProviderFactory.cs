using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Rerank;

/// <summary>The <c>cohere</c> provider of the <c>AddReranking</c> configuration schema.</summary>
internal sealed partial class CohereProviderFactory() : RerankerProviderFactory("cohere", Keys)
{
    private static readonly string[] Keys =
    [
        "Dialect", "ApiKey", "Endpoint", "Path", "MaxTokensPerDocument", "MaxDocumentsPerRequest", "MaxConcurrentRequests",
        "AttemptTimeout", "TotalTimeout", "Retry",
    ];

    public override Func<IServiceProvider, IReranker> Configure(RerankerConfigurationContext context)
    {
        CohereRerankerOptions options = Bind(context);
        return sp => new CohereReranker(options, CohereServiceCollectionExtensions.CreateLogger(sp));
    }

    /// <summary>Reads the options and makes the checks the reranker makes when it is built, so that a missing key or endpoint stops the start.</summary>
    internal static CohereRerankerOptions Bind(RerankerConfigurationContext context)
    {
        var options = new CohereRerankerOptions
        {
            ModelId = context.Model,
            ApiKey = context.GetString("ApiKey"),
            Endpoint = context.GetUri("Endpoint"),
            Path = context.GetString("Path"),
            MaxTokensPerDocument = context.GetInt32("MaxTokensPerDocument", 1),
            MaxDocumentsPerRequest = context.GetInt32("MaxDocumentsPerRequest", 1),
        };
        options.Dialect = context.GetValue<RerankApiDialect>("Dialect") ?? options.Dialect;
        options.MaxConcurrentRequests = context.GetInt32("MaxConcurrentRequests", 1) ?? options.MaxConcurrentRequests;
        options.Timeout = context.GetValue<TimeSpan>("AttemptTimeout") ?? options.Timeout;
        options.TotalTimeout = context.GetValue<TimeSpan>("TotalTimeout") ?? options.TotalTimeout;
        if (context.Section.GetSection("Retry").Exists())
        {
            context.Bind("Retry", options.Retry);
        }

        try
        {
            _ = RerankerSettings.From(options);
        }
        catch (ArgumentException ex)
        {
            throw context.Error(KeyOf(ex.Message), FirstLine(ex.Message), ex);
        }

        return options;
    }

    /// <summary>Maps the option a message names (<c>CohereRerankerOptions.Retry.MaxDelay</c>) to its configuration key (<c>Retry:MaxDelay</c>).</summary>
    private static string KeyOf(string message)
    {
        Match match = OptionName().Match(message);
        return !match.Success ? "Provider" : match.Groups[1].Value switch
        {
            "ModelId" => "Model",
            "Timeout" => "AttemptTimeout",
            string other => other.Replace('.', ':'),
        };
    }

    private static string FirstLine(string message) => message.Split(Environment.NewLine)[0].Split(" (Parameter '")[0];

    [GeneratedRegex(@"CohereRerankerOptions\.([A-Za-z]+(?:\.[A-Za-z]+)?)")]
    private static partial Regex OptionName();
}
