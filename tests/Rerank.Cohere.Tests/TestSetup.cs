using Rerank.Cohere.Tests.Server;

namespace Rerank.Cohere.Tests;

/// <summary>Shared settings of the tests: a canary key that must never leak, and retries with tiny delays so that tests do not sleep.</summary>
internal static class TestSetup
{
    /// <summary>An API key no exception or log line may contain.</summary>
    public const string CanaryKey = "canary-6f1d2c-DO-NOT-LEAK-93ab";

    public static CohereRerankerOptions Options(RerankTestServer server, Action<CohereRerankerOptions>? configure = null)
    {
        var options = new CohereRerankerOptions();
        Apply(options, server, configure);
        return options;
    }

    public static void Apply(CohereRerankerOptions options, RerankTestServer server, Action<CohereRerankerOptions>? configure = null)
    {
        options.Dialect = server.Dialect;
        options.Endpoint = server.BaseAddress;
        options.ApiKey = CanaryKey;
        options.Retry.BaseDelay = TimeSpan.FromMilliseconds(1);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(5);
        configure?.Invoke(options);
    }

    public static List<RerankDocument> Documents(params string[] texts) => [.. texts.Select(t => new RerankDocument(t))];
}
