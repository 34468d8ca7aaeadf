using Rerank.Cohere.Tests.Server;

namespace Rerank.Cohere.Tests;

/// <summary>Options are checked when the reranker is built, defaults are the dialect's, keys come from the environment, addresses are joined right.</summary>
[TestFixture]
[NonParallelizable] // the tests set process environment variables
public sealed class OptionsTests
{
    private static readonly string[] KeyVariables = ["CO_API_KEY", "JINA_API_KEY", "VOYAGE_API_KEY"];
    private readonly Dictionary<string, string?> _saved = [];
    private HttpClient _http = null!;

    [SetUp]
    public void SaveEnvironment()
    {
        _http = new HttpClient();
        foreach (string variable in KeyVariables)
        {
            _saved[variable] = Environment.GetEnvironmentVariable(variable);
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [TearDown]
    public void RestoreEnvironment()
    {
        _http.Dispose();
        foreach ((string variable, string? value) in _saved)
        {
            Environment.SetEnvironmentVariable(variable, value);
        }
    }

    [TestCase(RerankApiDialect.Cohere, "cohere", "https://api.cohere.com/", "rerank-v3.5")]
    [TestCase(RerankApiDialect.Jina, "jina", "https://api.jina.ai/", "jina-reranker-v2-base-multilingual")]
    [TestCase(RerankApiDialect.Voyage, "voyage", "https://api.voyageai.com/", "rerank-2.5")]
    public void Cloud_dialects_default_their_endpoint_and_model(RerankApiDialect dialect, string name, string endpoint, string model)
    {
        using var reranker = new CohereReranker(_http, new CohereRerankerOptions { Dialect = dialect, ApiKey = TestSetup.CanaryKey });

        RerankerMetadata metadata = reranker.GetService<RerankerMetadata>()!;

        Assert.That(metadata.ProviderName, Is.EqualTo(name));
        Assert.That(metadata.ProviderUri, Is.EqualTo(new Uri(endpoint)));
        Assert.That(metadata.DefaultModelId, Is.EqualTo(model));
    }

    [TestCase(RerankApiDialect.Cohere, "CO_API_KEY")]
    [TestCase(RerankApiDialect.Jina, "JINA_API_KEY")]
    [TestCase(RerankApiDialect.Voyage, "VOYAGE_API_KEY")]
    public void A_cloud_endpoint_without_a_key_is_refused_and_the_message_names_the_variable(RerankApiDialect dialect, string variable)
    {
        var ex = Assert.Throws<ArgumentException>(() => new CohereReranker(_http, new CohereRerankerOptions { Dialect = dialect }));

        Assert.That(ex!.Message, Does.Contain(variable).And.Contain("CohereRerankerOptions.ApiKey"));
    }

    [TestCase(RerankApiDialect.Cohere, "CO_API_KEY")]
    [TestCase(RerankApiDialect.Jina, "JINA_API_KEY")]
    [TestCase(RerankApiDialect.Voyage, "VOYAGE_API_KEY")]
    public async Task The_key_is_read_from_the_dialects_environment_variable(RerankApiDialect dialect, string variable)
    {
        Environment.SetEnvironmentVariable(variable, TestSetup.CanaryKey);
        await using RerankTestServer server = await RerankTestServer.StartAsync(dialect);
        using var reranker = new CohereReranker(_http, new CohereRerankerOptions { Dialect = dialect, Endpoint = server.BaseAddress });

        await reranker.RerankAsync("query", TestSetup.Documents("a", "b"));

        server.Requests.TryPeek(out RecordedRequest? request);
        Assert.That(request!.Authorization, Is.EqualTo("Bearer " + TestSetup.CanaryKey));
    }

    [TestCase(RerankApiDialect.TextEmbeddingsInference)]
    [TestCase(RerankApiDialect.Infinity)]
    [TestCase(RerankApiDialect.Vllm)]
    public void Self_hosted_dialects_need_an_endpoint(RerankApiDialect dialect)
    {
        var ex = Assert.Throws<ArgumentException>(() => new CohereReranker(_http, new CohereRerankerOptions { Dialect = dialect }));

        Assert.That(ex!.Message, Does.Contain("Endpoint is required").And.Contain(dialect.ToString()));
    }

    [TestCase("gateway/cohere", null, "/gateway/cohere/v2/rerank")]
    [TestCase("gateway/cohere/", null, "/gateway/cohere/v2/rerank")]
    [TestCase("", "/custom/rerank", "/custom/rerank")]
    [TestCase("base", "v1/rerank", "/base/v1/rerank")]
    public async Task The_endpoints_path_is_kept_and_the_dialects_path_appended(string basePath, string? path, string expected)
    {
        await using RerankTestServer server = await RerankTestServer.StartAsync(RerankApiDialect.Cohere);
        server.Always = c => RerankTestServer.Respond(c, 200, """{"id":"x","results":[{"index":0,"relevance_score":0.5}]}""");
        using var reranker = new CohereReranker(_http, TestSetup.Options(server, o =>
        {
            o.Endpoint = new Uri(server.BaseAddress, basePath);
            o.Path = path;
        }));

        await reranker.RerankAsync("query", TestSetup.Documents("a"));

        server.Requests.TryPeek(out RecordedRequest? request);
        Assert.That(request!.Path, Is.EqualTo(expected));
    }

    private static IEnumerable<TestCaseData> InvalidOptions()
    {
        yield return new TestCaseData((Action<CohereRerankerOptions>)(o => o.Timeout = TimeSpan.Zero), "Timeout");
        yield return new TestCaseData((Action<CohereRerankerOptions>)(o => o.Timeout = TimeSpan.FromMilliseconds(5)), "Timeout");
        yield return new TestCaseData((Action<CohereRerankerOptions>)(o => o.TotalTimeout = TimeSpan.FromSeconds(-2)), "TotalTimeout");
        yield return new TestCaseData((Action<CohereRerankerOptions>)(o => o.MaxDocumentsPerRequest = 0), "MaxDocumentsPerRequest");
        yield return new TestCaseData((Action<CohereRerankerOptions>)(o => o.MaxConcurrentRequests = 0), "MaxConcurrentRequests");
        yield return new TestCaseData((Action<CohereRerankerOptions>)(o => o.MaxTokensPerDocument = 0), "MaxTokensPerDocument");
        yield return new TestCaseData((Action<CohereRerankerOptions>)(o => o.Retry.MaxRetryAttempts = -1), "MaxRetryAttempts");
        yield return new TestCaseData((Action<CohereRerankerOptions>)(o => o.Retry.MaxRetryAttempts = 101), "MaxRetryAttempts");
        yield return new TestCaseData((Action<CohereRerankerOptions>)(o => o.Retry.BaseDelay = TimeSpan.FromSeconds(-1)), "Retry.BaseDelay");
        yield return new TestCaseData((Action<CohereRerankerOptions>)(o => o.Retry.MaxDelay = TimeSpan.FromMilliseconds(1) / 2), "Retry.MaxDelay");
        yield return new TestCaseData((Action<CohereRerankerOptions>)(o => o.Retry.MaxRetryAfter = TimeSpan.FromDays(2)), "Retry.MaxRetryAfter");
        yield return new TestCaseData((Action<CohereRerankerOptions>)(o => o.Dialect = (RerankApiDialect)99), "Dialect");
        yield return new TestCaseData((Action<CohereRerankerOptions>)(o => o.Endpoint = new Uri("/relative", UriKind.Relative)), "absolute http");
        yield return new TestCaseData((Action<CohereRerankerOptions>)(o => o.Endpoint = new Uri("ftp://example.com")), "absolute http");
        yield return new TestCaseData((Action<CohereRerankerOptions>)(o => o.Endpoint = new Uri("https://user:secret@example.com")), "credentials");
        yield return new TestCaseData((Action<CohereRerankerOptions>)(o => o.Endpoint = new Uri("https://example.com/?key=secret")), "query string");
        yield return new TestCaseData((Action<CohereRerankerOptions>)(o => o.Path = "v2/rerank?code=secret"), "Path must be a path relative to Endpoint");
        yield return new TestCaseData((Action<CohereRerankerOptions>)(o => o.Path = "https://elsewhere.example.com/v2/rerank"), "Path must be a path relative to Endpoint");
    }

    [TestCaseSource(nameof(InvalidOptions))]
    public void Invalid_options_are_refused_when_the_reranker_is_built(Action<CohereRerankerOptions> breakIt, string named)
    {
        var options = new CohereRerankerOptions { ApiKey = TestSetup.CanaryKey, Endpoint = new Uri("http://127.0.0.1:9") };
        breakIt(options);

        var ex = Assert.Throws(Is.InstanceOf<ArgumentException>(), () => new CohereReranker(_http, options));

        Assert.That(ex!.Message, Does.Contain(named).And.Not.Contain("secret"));
    }

    [Test]
    public void A_null_HttpClient_is_reported_as_such_before_the_options_are_checked()
    {
        // Options that are themselves invalid (TEI needs an Endpoint): the missing client is still the error reported.
        var ex = Assert.Throws<ArgumentNullException>(() => new CohereReranker(null!, new CohereRerankerOptions { Dialect = RerankApiDialect.TextEmbeddingsInference }));
        Assert.That(ex!.ParamName, Is.EqualTo("httpClient"));

        Assert.That(Assert.Throws<ArgumentNullException>(() => new CohereReranker((CohereRerankerOptions)null!))!.ParamName, Is.EqualTo("options"));
    }

    [Test]
    public void A_key_with_a_line_break_is_refused_without_echoing_it()
    {
        var ex = Assert.Throws<ArgumentException>(() => new CohereReranker(_http, new CohereRerankerOptions { ApiKey = TestSetup.CanaryKey + "\r\nX-Injected: 1" }));

        Assert.That(ex!.Message, Does.Contain("line break").And.Not.Contain(TestSetup.CanaryKey));
    }

    [Test]
    public async Task Infinite_timeouts_are_allowed()
    {
        // Not only accepted when built: a call made with them reaches the server and is answered.
        await using RerankTestServer server = await RerankTestServer.StartAsync(RerankApiDialect.Cohere);
        using var reranker = new CohereReranker(_http, TestSetup.Options(server, o =>
        {
            o.Timeout = Timeout.InfiniteTimeSpan;
            o.TotalTimeout = Timeout.InfiniteTimeSpan;
        }));

        RerankResponse response = await reranker.RerankAsync("query", TestSetup.Documents("a", "b"));

        Assert.That(server.RequestCount, Is.EqualTo(1));
        Assert.That(response.Results.Select(r => r.Index), Is.EquivalentTo(new[] { 0, 1 }));
    }

    [Test]
    public async Task Options_are_copied_when_the_reranker_is_built()
    {
        await using RerankTestServer server = await RerankTestServer.StartAsync(RerankApiDialect.Cohere);
        CohereRerankerOptions options = TestSetup.Options(server, o => o.ModelId = "first");
        using var reranker = new CohereReranker(_http, options);
        options.ModelId = "second";
        options.Endpoint = new Uri("http://127.0.0.1:9");

        RerankResponse response = await reranker.RerankAsync("query", TestSetup.Documents("a"));

        Assert.That(response.ModelId, Is.EqualTo("first"));
    }

    [Test]
    public async Task GetService_answers_the_callers_HttpClient_and_nothing_for_a_key()
    {
        await using RerankTestServer server = await RerankTestServer.StartAsync(RerankApiDialect.Cohere);
        using var reranker = new CohereReranker(_http, TestSetup.Options(server));

        Assert.That(reranker.GetService<HttpClient>(), Is.SameAs(_http));
        Assert.That(reranker.GetService<CohereReranker>(), Is.SameAs(reranker));
        Assert.That(reranker.GetService<RerankerMetadata>("some-key"), Is.Null);
        Assert.That(reranker.GetService(typeof(string)), Is.Null);
    }

    [Test]
    public async Task The_callers_HttpClient_outlives_the_reranker()
    {
        await using RerankTestServer server = await RerankTestServer.StartAsync(RerankApiDialect.Cohere);
        var reranker = new CohereReranker(_http, TestSetup.Options(server));
        reranker.Dispose();

        using HttpResponseMessage response = await _http.GetAsync(server.BaseAddress);

        Assert.That((int)response.StatusCode, Is.EqualTo(404), "the client still works after the reranker is disposed");
    }

    [Test]
    public async Task A_reranker_with_its_own_HttpClient_works_and_disposes_it()
    {
        await using RerankTestServer server = await RerankTestServer.StartAsync(RerankApiDialect.Cohere);
        var reranker = new CohereReranker(TestSetup.Options(server));
        HttpClient own = reranker.GetService<HttpClient>()!;

        RerankResponse response = await reranker.RerankAsync("capital", TestSetup.Documents("a capital", "b"));
        reranker.Dispose();

        Assert.That(response.Results[0].Index, Is.Zero);
        Assert.That(own, Is.Not.SameAs(_http));
        Assert.ThrowsAsync<ObjectDisposedException>(() => own.GetAsync(server.BaseAddress));
    }
}
