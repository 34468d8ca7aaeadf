using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rerank.Cohere.Tests.Server;
using Rerank.Testing;

namespace Rerank.Cohere.Tests.Reranking;

/// <summary>The <c>cohere</c> provider of <c>AddReranking</c>: every key bound, bad values failing at start-up with their path, and no secret in any message.</summary>
[TestFixture]
public sealed class CohereRerankingConfigurationTests
{
    [Test]
    public void Every_key_is_bound()
    {
        CohereRerankerOptions options = CohereProviderFactory.Bind(Context("""
            { "Provider": "cohere", "Model": "rerank-v3.5", "Dialect": "vllm", "ApiKey": "k", "Endpoint": "http://localhost:8000", "Path": "v2/rerank",
              "MaxTokensPerDocument": 512, "MaxDocumentsPerRequest": 64, "MaxConcurrentRequests": 2, "AttemptTimeout": "00:00:05", "TotalTimeout": "00:00:20",
              "Retry": { "MaxRetryAttempts": 1, "BaseDelay": "00:00:00.100", "MaxDelay": "00:00:02", "UseJitter": false, "MaxRetryAfter": "00:00:10" } }
            """));

        Assert.Multiple(() =>
        {
            Assert.That(options.ModelId, Is.EqualTo("rerank-v3.5"));
            Assert.That(options.Dialect, Is.EqualTo(RerankApiDialect.Vllm));
            Assert.That(options.ApiKey, Is.EqualTo("k"));
            Assert.That(options.Endpoint, Is.EqualTo(new Uri("http://localhost:8000")));
            Assert.That(options.Path, Is.EqualTo("v2/rerank"));
            Assert.That(options.MaxTokensPerDocument, Is.EqualTo(512));
            Assert.That(options.MaxDocumentsPerRequest, Is.EqualTo(64));
            Assert.That(options.MaxConcurrentRequests, Is.EqualTo(2));
            Assert.That(options.Timeout, Is.EqualTo(TimeSpan.FromSeconds(5)));
            Assert.That(options.TotalTimeout, Is.EqualTo(TimeSpan.FromSeconds(20)));
            Assert.That(options.Retry.MaxRetryAttempts, Is.EqualTo(1));
            Assert.That(options.Retry.BaseDelay, Is.EqualTo(TimeSpan.FromMilliseconds(100)));
            Assert.That(options.Retry.MaxDelay, Is.EqualTo(TimeSpan.FromSeconds(2)));
            Assert.That(options.Retry.UseJitter, Is.False);
            Assert.That(options.Retry.MaxRetryAfter, Is.EqualTo(TimeSpan.FromSeconds(10)));
        });
    }

    [TestCase("""{ "Provider": "cohere", "Dialect": "TextEmbeddingsInference" }""", "Reranking:Rerankers:c:Endpoint: CohereRerankerOptions.Endpoint is required for the TextEmbeddingsInference dialect")]
    [TestCase("""{ "Provider": "cohere", "Dialect": "Bing" }""", "Reranking:Rerankers:c:Dialect: 'Bing' is not one of Cohere, Jina, Voyage")]
    [TestCase("""{ "Provider": "cohere", "Endpoint": "ftp://x" }""", "Reranking:Rerankers:c:Endpoint: must be an absolute http or https address.")]
    [TestCase("""{ "Provider": "cohere", "Endpoint": "http://x", "Path": "v2/rerank?key=1" }""", "Reranking:Rerankers:c:Path: CohereRerankerOptions.Path must be a path relative to Endpoint")]
    [TestCase("""{ "Provider": "cohere", "Endpoint": "http://x", "MaxTokensPerDocument": 0 }""", "Reranking:Rerankers:c:MaxTokensPerDocument: must be at least 1; got 0.")]
    [TestCase("""{ "Provider": "cohere", "Endpoint": "http://x", "MaxDocumentsPerRequest": "many" }""", "Reranking:Rerankers:c:MaxDocumentsPerRequest: 'many' is not a valid whole number")]
    [TestCase("""{ "Provider": "cohere", "Endpoint": "http://x", "MaxConcurrentRequests": 0 }""", "Reranking:Rerankers:c:MaxConcurrentRequests: must be at least 1")]
    [TestCase("""{ "Provider": "cohere", "Endpoint": "http://x", "AttemptTimeout": "00:00:00.001" }""", "Reranking:Rerankers:c:AttemptTimeout: CohereRerankerOptions.Timeout must be between 10 ms and one day")]
    [TestCase("""{ "Provider": "cohere", "Endpoint": "http://x", "TotalTimeout": "later" }""", "Reranking:Rerankers:c:TotalTimeout: 'later' is not a valid time span")]
    [TestCase("""{ "Provider": "cohere", "Endpoint": "http://x", "Retry": { "MaxRetries": 2 } }""", "Reranking:Rerankers:c:Retry: ")]
    [TestCase("""{ "Provider": "cohere", "Endpoint": "http://x", "Retry": { "BaseDelay": "00:00:05", "MaxDelay": "00:00:01" } }""", "Reranking:Rerankers:c:Retry:MaxDelay: CohereRerankerOptions.Retry.MaxDelay must not be shorter")]
    [TestCase("""{ "Provider": "cohere", "Endpoint": "http://x", "Retry": "3" }""", "Reranking:Rerankers:c:Retry: expected a section, found a value.")]
    [TestCase("""{ "Provider": "cohere", "Endpoint": "http://x", "Timeout": "00:00:00.800", "ModelId": "m" }""", "Reranking:Rerankers:c:ModelId: unknown key for provider 'cohere'")]
    public void A_bad_value_fails_at_start_up_naming_its_path(string reranker, string expected)
    {
        OptionsValidationException ex = Failure(reranker);

        Assert.That(ex.Message, Does.Contain(expected));
    }

    [Test]
    public void A_missing_key_for_the_cloud_endpoint_fails_at_start_up()
    {
        string? saved = Environment.GetEnvironmentVariable("CO_API_KEY");
        Environment.SetEnvironmentVariable("CO_API_KEY", null);
        try
        {
            Assert.That(Failure("""{ "Provider": "cohere" }""").Message, Does.Contain("Reranking:Rerankers:c:ApiKey: No API key for https://api.cohere.com"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("CO_API_KEY", saved);
        }
    }

    [Test]
    public void No_start_up_failure_contains_the_key()
    {
        OptionsValidationException ex = Failure($$"""{ "Provider": "cohere", "ApiKey": "{{TestSetup.CanaryKey}}", "Endpoint": "http://x", "Path": "v2/rerank?api_key={{TestSetup.CanaryKey}}", "Apikey2": "{{TestSetup.CanaryKey}}" }""");

        Assert.That(ex.Failures.Count(), Is.EqualTo(2));
        Assert.That(ex.Message, Does.Not.Contain(TestSetup.CanaryKey));
    }

    [Test]
    public void Without_AddCohereProvider_the_missing_package_call_is_named()
    {
        var services = new ServiceCollection();
        services.AddReranking(Section("""{ "Reranking": { "Rerankers": { "c": { "Provider": "cohere" } } } }"""));
        using ServiceProvider provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IRerankerProvider>())!;
        Assert.That(ex.Message, Does.Contain("Reranking:Rerankers:c:Provider: 'cohere' is provided by the Rerank.Cohere package, which is not registered: reference it and call AddCohereProvider()"));
    }

    internal static IConfigurationSection Section(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build().GetSection("Reranking");

    private static OptionsValidationException Failure(string reranker)
    {
        var services = new ServiceCollection();
        services.AddReranking(Section($$"""{ "Reranking": { "Rerankers": { "c": {{reranker}} } } }""")).AddCohereProvider();
        using ServiceProvider provider = services.BuildServiceProvider();
        return Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IRerankerProvider>())!;
    }

    private static RerankerConfigurationContext Context(string json) =>
        new("c", new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes($$"""{ "c": {{json}} }"""))).Build().GetSection("c"));
}

/// <summary>The contract suite against a Cohere reranker read from configuration, with a cache and a BM25 fallback, over a loopback server.</summary>
[TestFixture]
public sealed class ConfiguredCohereContractTests : RerankerContractTests
{
    private RerankTestServer _server = null!;
    private ServiceProvider? _services;
    private long _baseline;

    protected override long BackendCallCount => _server.RequestCount - _baseline;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await RerankTestServer.StartAsync(RerankApiDialect.Cohere);

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [TearDown]
    public void DisposeServices() => _services?.Dispose();

    protected override IReranker CreateReranker()
    {
        _baseline = _server.RequestCount;
        var services = new ServiceCollection();
        services.AddReranking(CohereRerankingConfigurationTests.Section($$"""
            { "Reranking": { "Default": "cohere", "Rerankers": {
                "cohere": { "Provider": "cohere", "Model": "rerank-v3.5", "Endpoint": "{{_server.BaseAddress}}", "ApiKey": "{{TestSetup.CanaryKey}}",
                            "Timeout": "00:00:30", "Cache": "memory", "FallbackTo": [ "bm25" ], "Retry": { "BaseDelay": "00:00:00.001", "MaxDelay": "00:00:00.005" } },
                "bm25": { "Provider": "bm25" } } } }
            """)).AddCohereProvider();
        _services = services.BuildServiceProvider();
        return _services.GetRequiredService<IReranker>();
    }
}

/// <summary><c>AddCohere</c> in code: a named reranker over IHttpClientFactory, shared by every scope.</summary>
[TestFixture]
public sealed class AddCohereTests
{
    [Test]
    public async Task AddCohere_registers_a_named_reranker_shared_by_every_scope()
    {
        await using RerankTestServer server = await RerankTestServer.StartAsync(RerankApiDialect.Cohere);
        var services = new ServiceCollection();
        services.AddReranking().AddCohere("cohere", o => TestSetup.Apply(o, server)).UseMemoryCache();
        using ServiceProvider provider = services.BuildServiceProvider(validateScopes: true);

        for (int i = 0; i < 2; i++)
        {
            using IServiceScope scope = provider.CreateScope();
            RerankResponse response = await scope.ServiceProvider.GetRequiredKeyedService<IReranker>("cohere").RerankAsync("q", ["a", "q"]);
            Assert.That(response.Results, Has.Count.EqualTo(2));
        }

        Assert.That(server.RequestCount, Is.EqualTo(1), "the second scope's call is served by the cache the first filled");
        Assert.That(provider.GetRequiredService<IReranker>().GetService<RerankerMetadata>()?.ProviderName, Is.EqualTo("cohere"));
    }
}
