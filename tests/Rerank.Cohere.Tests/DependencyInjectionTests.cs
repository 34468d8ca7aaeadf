using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Rerank.Cohere.Tests.Server;

namespace Rerank.Cohere.Tests;

/// <summary><c>AddCohereReranker</c>: options bound from configuration, the named client with its resilience handler, the builder, keyed registrations.</summary>
[TestFixture]
public sealed class DependencyInjectionTests
{
    private const string Query = "capital of the United States";
    private static readonly string[] Texts = ["Carson City is the capital of Nevada.", "Washington is the capital of the United States."];

    private RerankTestServer _server = null!;

    [SetUp]
    public async Task Start() => _server = await RerankTestServer.StartAsync(RerankApiDialect.Cohere);

    [TearDown]
    public async Task Stop() => await _server.DisposeAsync();

    private static IConfiguration Configuration(Dictionary<string, string?> values) => new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    [Test]
    public async Task Options_are_bound_from_the_Reranking_Cohere_section_of_the_registered_configuration()
    {
        var services = new ServiceCollection();
        services.AddSingleton(Configuration(new()
        {
            ["Reranking:Cohere:Endpoint"] = _server.BaseAddress.ToString(),
            ["Reranking:Cohere:ApiKey"] = TestSetup.CanaryKey,
            ["Reranking:Cohere:ModelId"] = "rerank-english-v3.0",
            ["Reranking:Cohere:MaxTokensPerDocument"] = "300",
            ["Reranking:Cohere:Timeout"] = "00:00:05",
            ["Reranking:Cohere:Retry:MaxRetryAttempts"] = "1",
            ["Reranking:Cohere:Retry:BaseDelay"] = "00:00:00.001",
            ["Reranking:Cohere:Retry:MaxDelay"] = "00:00:00.002",
        }));
        services.AddCohereReranker();
        using ServiceProvider provider = services.BuildServiceProvider();
        IReranker reranker = provider.GetRequiredService<IReranker>();
        _server.Enqueue(503, """{"message":"overloaded"}""");

        RerankResponse response = await reranker.RerankAsync(Query, TestSetup.Documents(Texts));

        RecordedRequest[] requests = [.. _server.Requests];
        Assert.That(requests, Has.Length.EqualTo(2), "Retry.MaxRetryAttempts came from configuration");
        Assert.That(requests[1].Body, Does.StartWith("""{"model":"rerank-english-v3.0","""));
        Assert.That(requests[1].Body, Does.EndWith(""","max_tokens_per_doc":300}"""));
        Assert.That(requests[1].Authorization, Is.EqualTo("Bearer " + TestSetup.CanaryKey));
        Assert.That(response.ModelId, Is.EqualTo("rerank-english-v3.0"));
        Assert.That(reranker.GetService<RerankerMetadata>()!.DefaultModelId, Is.EqualTo("rerank-english-v3.0"));
    }

    [Test]
    public async Task A_given_section_is_bound_and_the_configure_callback_runs_after_it()
    {
        var services = new ServiceCollection();
        IConfiguration configuration = Configuration(new()
        {
            ["Search:Reranker:Endpoint"] = "http://203.0.113.1",
            ["Search:Reranker:ModelId"] = "from-configuration",
            ["Search:Reranker:ApiKey"] = TestSetup.CanaryKey,
        });
        services.AddCohereReranker(configuration.GetSection("Search:Reranker"), o => o.Endpoint = _server.BaseAddress);
        using ServiceProvider provider = services.BuildServiceProvider();

        await provider.GetRequiredService<IReranker>().RerankAsync(Query, TestSetup.Documents(Texts));

        _server.Requests.TryPeek(out RecordedRequest? request);
        Assert.That(request!.Body, Does.Contain("\"model\":\"from-configuration\""));
    }

    [Test]
    public async Task The_returned_builder_chains_middleware_and_GetService_reaches_through_it()
    {
        var services = new ServiceCollection();
        services.AddCohereReranker(o => TestSetup.Apply(o, _server))
            .Use(async (query, documents, options, next, cancellationToken) =>
            {
                RerankResponse response = await next.RerankAsync(query, documents, options, cancellationToken);
                (response.AdditionalProperties ??= new Dictionary<string, object?>())["outer"] = "ran";
                return response;
            });
        using ServiceProvider provider = services.BuildServiceProvider();
        IReranker reranker = provider.GetRequiredService<IReranker>();

        RerankResponse response = await reranker.RerankAsync(Query, TestSetup.Documents(Texts));

        Assert.That(response.AdditionalProperties!["outer"], Is.EqualTo("ran"));
        Assert.That(reranker, Is.Not.InstanceOf<CohereReranker>());
        Assert.That(reranker.GetService<CohereReranker>(), Is.Not.Null);
        Assert.That(reranker.GetService<HttpClient>(), Is.Not.Null);
        RerankerMetadata metadata = reranker.GetService<RerankerMetadata>()!;
        Assert.That(metadata.ProviderName, Is.EqualTo("cohere"));
        Assert.That(metadata.ProviderUri, Is.EqualTo(_server.BaseAddress));
        Assert.That(metadata.DefaultModelId, Is.EqualTo("rerank-v3.5"));
    }

    [Test]
    public async Task The_named_client_can_be_customised_by_name()
    {
        var services = new ServiceCollection();
        services.AddCohereReranker(o => TestSetup.Apply(o, _server));
        services.AddHttpClient(CohereServiceCollectionExtensions.GetHttpClientName(null))
            .ConfigureHttpClient(client => client.DefaultRequestHeaders.Add("X-Client-Name", "rerank-tests"));
        using ServiceProvider provider = services.BuildServiceProvider();

        await provider.GetRequiredService<IReranker>().RerankAsync(Query, TestSetup.Documents(Texts));

        _server.Requests.TryPeek(out RecordedRequest? request);
        Assert.That(request!.Headers["X-Client-Name"], Is.EqualTo("rerank-tests"));
    }

    [Test]
    public async Task Keyed_registrations_are_bound_from_their_own_section_and_use_their_own_client()
    {
        await using RerankTestServer jina = await RerankTestServer.StartAsync(RerankApiDialect.Jina);
        var services = new ServiceCollection();
        services.AddSingleton(Configuration(new()
        {
            ["Reranking:Cohere:Endpoint"] = _server.BaseAddress.ToString(),
            ["Reranking:Cohere:ApiKey"] = TestSetup.CanaryKey,
            ["Reranking:jina:Dialect"] = "Jina",
            ["Reranking:jina:Endpoint"] = jina.BaseAddress.ToString(),
            ["Reranking:jina:ApiKey"] = "jina-key",
        }));
        services.AddCohereReranker();
        services.AddKeyedCohereReranker("jina");
        using ServiceProvider provider = services.BuildServiceProvider();

        await provider.GetRequiredService<IReranker>().RerankAsync(Query, TestSetup.Documents(Texts));
        await provider.GetRequiredKeyedService<IReranker>("jina").RerankAsync(Query, TestSetup.Documents(Texts));

        Assert.That(_server.RequestCount, Is.EqualTo(1));
        Assert.That(jina.RequestCount, Is.EqualTo(1));
        jina.Requests.TryPeek(out RecordedRequest? request);
        Assert.That(request!.Path, Is.EqualTo("/v1/rerank"));
        Assert.That(request.Authorization, Is.EqualTo("Bearer jina-key"));
        Assert.That(provider.GetRequiredKeyedService<IReranker>("jina").GetService<RerankerMetadata>()!.ProviderName, Is.EqualTo("jina"));
        Assert.That(CohereServiceCollectionExtensions.GetHttpClientName("jina"), Is.EqualTo("Rerank.Cohere:jina"));
    }

    [Test]
    [NonParallelizable] // it clears CO_API_KEY for the process, as OptionsTests does
    public void A_missing_key_for_the_Cohere_cloud_fails_when_resolved_and_says_how_to_set_one()
    {
        string? saved = Environment.GetEnvironmentVariable("CO_API_KEY");
        Environment.SetEnvironmentVariable("CO_API_KEY", null);
        try
        {
            var services = new ServiceCollection();
            services.AddCohereReranker();
            using ServiceProvider provider = services.BuildServiceProvider();

            var ex = Assert.Throws<ArgumentException>(() => provider.GetRequiredService<IReranker>());

            Assert.That(ex!.Message, Does.Contain("CO_API_KEY").And.Contain("ApiKey"));
            Assert.That(_server.RequestCount, Is.Zero);
        }
        finally
        {
            Environment.SetEnvironmentVariable("CO_API_KEY", saved);
        }
    }

    [Test]
    public void Registering_twice_does_not_nest_a_second_retry_loop()
    {
        // A library and the application may both call AddCohereReranker; the options compose, the handlers must not.
        var services = new ServiceCollection();
        services.AddCohereReranker(o => TestSetup.Apply(o, _server, x => x.Retry.MaxRetryAttempts = 5));
        services.AddCohereReranker(o => TestSetup.Apply(o, _server, x => x.Retry.MaxRetryAttempts = 2));
        using ServiceProvider provider = services.BuildServiceProvider();
        _server.Always = c => RerankTestServer.Respond(c, 503, """{"message":"down"}""");

        var ex = Assert.ThrowsAsync<RerankHttpException>(() => provider.GetRequiredService<IReranker>().RerankAsync(Query, TestSetup.Documents(Texts)));

        Assert.That(ex!.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(_server.RequestCount, Is.EqualTo(3), "one attempt and the 2 retries the last configuration asks for, not 3 x 3");
    }

    [Test]
    public async Task The_resilience_handler_retries_in_the_registered_client()
    {
        var services = new ServiceCollection();
        services.AddCohereReranker(o => TestSetup.Apply(o, _server));
        using ServiceProvider provider = services.BuildServiceProvider();
        _server.Enqueue(429, """{"message":"slow down"}""", headers: r => r.Headers.RetryAfter = "0");

        // Through the client alone, without the reranker: the retry lives in the handler chain.
        HttpClient client = provider.GetRequiredService<IHttpClientFactory>().CreateClient(CohereServiceCollectionExtensions.HttpClientName);
        using var content = new StringContent("""{"model":"m","query":"q","documents":["a"]}""", System.Text.Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await client.PostAsync(new Uri(_server.BaseAddress, "v2/rerank"), content);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(_server.RequestCount, Is.EqualTo(2));
        Assert.That(client.Timeout, Is.EqualTo(Timeout.InfiniteTimeSpan), "the pipeline owns the timeouts");
    }
}
