using System.Text.Json;
using Rerank.Cohere.Tests.Server;

namespace Rerank.Cohere.Tests;

/// <summary>A success status with a body that is not a trustworthy ranking throws <see cref="RerankResponseException"/>, never returns a wrong ranking.</summary>
[TestFixture]
public sealed class ResponseValidationTests
{
    private const string Query = "capital of the United States";
    private static readonly string[] Texts = ["Carson City is in Nevada.", "Washington, D.C. is the capital.", "Capital punishment."];

    private RerankTestServer _server = null!;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _server = await RerankTestServer.StartAsync(RerankApiDialect.Cohere);
        _http = new HttpClient();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [SetUp]
    public void Reset() => _server.Reset();

    private async Task<RerankResponseException> FailsWith(string body, string? contentType = "application/json", RerankOptions? options = null)
    {
        _server.Enqueue(200, body, contentType);
        using var reranker = new CohereReranker(_http, TestSetup.Options(_server));

        var ex = Assert.ThrowsAsync<RerankResponseException>(() => reranker.RerankAsync(Query, TestSetup.Documents(Texts), options));

        Assert.That(_server.RequestCount, Is.EqualTo(1), "a bad success response is not retried");
        Assert.That(ex!.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.OK));
        Assert.That(ex.ProviderName, Is.EqualTo("cohere"));
        Assert.That(ex.RequestUri, Is.EqualTo(new Uri(_server.BaseAddress, "v2/rerank")));
        Assert.That(ex.ToString(), Does.Not.Contain(TestSetup.CanaryKey));
        return ex;
    }

    [Test]
    public void Truncated_JSON_in_a_complete_response()
    {
        var ex = FailsWith("""{"id":"x","results":[{"index":0,"relevance_score":0.9},{"ind""").Result;

        Assert.That(ex.Message, Does.Contain("not valid JSON"));
        Assert.That(ex.InnerException, Is.InstanceOf<JsonException>());
    }

    [Test]
    public void An_empty_body() => Assert.That(FailsWith(string.Empty).Result.Message, Does.Contain("not valid JSON"));

    [TestCase(3)]
    [TestCase(-1)]
    [TestCase(1000)]
    public void An_index_out_of_range(int index)
    {
        var ex = FailsWith($$"""{"id":"x","results":[{"index":0,"relevance_score":0.9},{"index":1,"relevance_score":0.5},{"index":{{index}},"relevance_score":0.1}]}""").Result;

        Assert.That(ex.Message, Does.Contain($"index {index} is outside the 3 documents"));
    }

    [Test]
    public void A_duplicate_index()
    {
        var ex = FailsWith("""{"id":"x","results":[{"index":0,"relevance_score":0.9},{"index":1,"relevance_score":0.5},{"index":0,"relevance_score":0.1}]}""").Result;

        Assert.That(ex.Message, Does.Contain("index 0 appears more than once"));
    }

    [Test]
    public void A_missing_result_when_every_result_was_asked_for()
    {
        var ex = FailsWith("""{"id":"x","results":[{"index":0,"relevance_score":0.9},{"index":2,"relevance_score":0.1}]}""").Result;

        Assert.That(ex.Message, Does.Contain("2 results for 3 documents"));
    }

    [Test]
    public void More_results_than_top_n()
    {
        var ex = FailsWith(
            """{"id":"x","results":[{"index":0,"relevance_score":0.9},{"index":2,"relevance_score":0.1}]}""",
            options: new RerankOptions { TopN = 1 }).Result;

        Assert.That(ex.Message, Does.Contain("top_n 1"));
    }

    [Test]
    public void Fewer_results_than_top_n()
    {
        var ex = FailsWith("""{"id":"x","results":[{"index":0,"relevance_score":0.9}]}""", options: new RerankOptions { TopN = 2 }).Result;

        Assert.That(ex.Message, Does.Contain("expected 2"));
    }

    [TestCase("""{"id":"x","results":[{"index":0,"relevance_score":null},{"index":1,"relevance_score":0.5},{"index":2,"relevance_score":0.1}]}""", "numeric 'relevance_score'")]
    [TestCase("""{"id":"x","results":[{"index":0,"relevance_score":"0.9"},{"index":1,"relevance_score":0.5},{"index":2,"relevance_score":0.1}]}""", "numeric 'relevance_score'")]
    [TestCase("""{"id":"x","results":[{"index":0,"score":0.9},{"index":1,"relevance_score":0.5},{"index":2,"relevance_score":0.1}]}""", "numeric 'relevance_score'")]
    [TestCase("""{"id":"x","results":[{"index":0.5,"relevance_score":0.9},{"index":1,"relevance_score":0.5},{"index":2,"relevance_score":0.1}]}""", "integer 'index'")]
    [TestCase("""{"id":"x","results":[{"index":"0","relevance_score":0.9},{"index":1,"relevance_score":0.5},{"index":2,"relevance_score":0.1}]}""", "integer 'index'")]
    [TestCase("""{"id":"x","results":[0.9,0.5,0.1]}""", "not an object")]
    [TestCase("""{"id":"x","results":{"0":0.9}}""", "not an array")]
    [TestCase("""{"id":"x","data":[]}""", "no 'results'")]
    [TestCase("""[{"index":0,"relevance_score":0.9}]""", "not a JSON object")]
    [TestCase("""null""", "not a JSON object")]
    public void A_body_of_the_wrong_shape(string body, string expected)
    {
        var ex = FailsWith(body).Result;

        Assert.That(ex.Message, Does.Contain(expected));
    }

    [Test]
    public void A_score_too_large_for_a_double() =>
        Assert.That(FailsWith("""{"id":"x","results":[{"index":0,"relevance_score":1e999},{"index":1,"relevance_score":0.5},{"index":2,"relevance_score":0.1}]}""").Result.Message,
            Does.Contain("numeric 'relevance_score'"));

    [Test]
    public void A_wrong_content_type()
    {
        var ex = FailsWith("""{"id":"x","results":[]}""", "text/plain").Result;

        Assert.That(ex.ContentType, Is.EqualTo("text/plain"));
        Assert.That(ex.Message, Does.Contain("'text/plain', not application/json"));
    }

    [Test]
    public void No_content_type() => Assert.That(FailsWith("""{"id":"x","results":[]}""", contentType: null).Result.Message, Does.Contain("content type is missing"));

    [Test]
    public void An_HTML_page_with_status_200()
    {
        var ex = FailsWith("<!DOCTYPE html><html><head><title>Sign in - Corporate Proxy</title></head><body><form>...</form></body></html>", "text/html; charset=utf-8").Result;

        Assert.That(ex.ContentType, Is.EqualTo("text/html"));
        Assert.That(ex.Message, Does.Contain("Sign in - Corporate Proxy"));
    }

    [Test]
    public async Task A_JSON_media_type_with_parameters_or_a_json_suffix_is_accepted()
    {
        using var reranker = new CohereReranker(_http, TestSetup.Options(_server));
        _server.Enqueue(200, """{"id":"x","results":[{"index":1,"relevance_score":0.9},{"index":0,"relevance_score":0.5},{"index":2,"relevance_score":0.1}]}""", "application/json; charset=utf-8");
        _server.Enqueue(200, """{"id":"x","results":[{"index":1,"relevance_score":0.9},{"index":0,"relevance_score":0.5},{"index":2,"relevance_score":0.1}]}""", "application/vnd.cohere+json");

        RerankResponse first = await reranker.RerankAsync(Query, TestSetup.Documents(Texts));
        RerankResponse second = await reranker.RerankAsync(Query, TestSetup.Documents(Texts));

        Assert.That(first.Results.Select(r => r.Index), Is.EqualTo(new[] { 1, 0, 2 }));
        Assert.That(second.Results.Select(r => r.Index), Is.EqualTo(new[] { 1, 0, 2 }));
    }

    /// <summary>Each dialect, answering in its own shape with an index past the end.</summary>
    private static IEnumerable<TestCaseData> OutOfRangeInEachDialect()
    {
        yield return new TestCaseData(RerankApiDialect.Jina, """{"model":"m","usage":{"total_tokens":1},"results":[{"index":0,"relevance_score":0.9},{"index":1,"relevance_score":0.5},{"index":3,"relevance_score":0.1}]}""");
        yield return new TestCaseData(RerankApiDialect.Voyage, """{"object":"list","data":[{"relevance_score":0.9,"index":0},{"relevance_score":0.5,"index":1},{"relevance_score":0.1,"index":3}],"model":"m","usage":{"total_tokens":1}}""");
        yield return new TestCaseData(RerankApiDialect.TextEmbeddingsInference, """[{"index":0,"score":0.9},{"index":1,"score":0.5},{"index":3,"score":0.1}]""");
        yield return new TestCaseData(RerankApiDialect.Infinity, """{"object":"rerank","results":[{"relevance_score":0.9,"index":0},{"relevance_score":0.5,"index":1},{"relevance_score":0.1,"index":3}],"model":"m","usage":{"prompt_tokens":1,"total_tokens":1},"id":"i","created":1}""");
        yield return new TestCaseData(RerankApiDialect.Vllm, """{"id":"v","model":"m","usage":{"total_tokens":1},"results":[{"index":0,"document":{"text":"a"},"relevance_score":0.9},{"index":1,"document":{"text":"b"},"relevance_score":0.5},{"index":3,"document":{"text":"c"},"relevance_score":0.1}]}""");
    }

    [TestCaseSource(nameof(OutOfRangeInEachDialect))]
    public async Task Every_dialect_checks_indices(RerankApiDialect dialect, string body)
    {
        await using RerankTestServer server = await RerankTestServer.StartAsync(dialect);
        server.Enqueue(200, body);
        using var reranker = new CohereReranker(_http, TestSetup.Options(server));

        var ex = Assert.ThrowsAsync<RerankResponseException>(() => reranker.RerankAsync(Query, TestSetup.Documents(Texts)));

        Assert.That(ex!.Message, Does.Contain("index 3 is outside the 3 documents"));
    }

    [Test]
    public async Task Every_dialect_refuses_bodies_that_are_not_its_JSON(
        [Values] RerankApiDialect dialect,
        [Values("truncated", "html", "text/plain")] string fault)
    {
        await using RerankTestServer server = await RerankTestServer.StartAsync(dialect);
        (string body, string contentType, string expected) = fault switch
        {
            "truncated" => ("""{"results":[{"index":0,""", "application/json", "not valid JSON"),
            "html" => ("<html><head><title>Service Unavailable</title></head></html>", "text/html", "Service Unavailable"),
            _ => ("""{"results":[]}""", "text/plain", "'text/plain', not application/json"),
        };
        server.Enqueue(200, body, contentType);
        using var reranker = new CohereReranker(_http, TestSetup.Options(server));

        var ex = Assert.ThrowsAsync<RerankResponseException>(() => reranker.RerankAsync(Query, TestSetup.Documents(Texts)));

        Assert.That(ex!.Message, Does.Contain(expected));
        Assert.That(server.RequestCount, Is.EqualTo(1));
    }

    [Test]
    public async Task A_Cohere_shaped_answer_to_a_Voyage_request_is_refused()
    {
        await using RerankTestServer server = await RerankTestServer.StartAsync(RerankApiDialect.Voyage);
        server.Enqueue(200, """{"id":"x","results":[{"index":0,"relevance_score":0.9}]}""");
        using var reranker = new CohereReranker(_http, TestSetup.Options(server));

        var ex = Assert.ThrowsAsync<RerankResponseException>(() => reranker.RerankAsync(Query, TestSetup.Documents(Texts)));

        Assert.That(ex!.Message, Does.Contain("no 'data'").And.Contain("Dialect (Voyage)"));
    }

    [Test]
    public async Task One_bad_response_among_split_requests_fails_the_whole_call()
    {
        _server.Always = async context =>
        {
            // The request holding the second slice answers with a duplicate index; the others are slow but fine.
            string answer = RerankTestServer.Body(context).Contains("doc 3", StringComparison.Ordinal)
                ? """{"id":"x","results":[{"index":0,"relevance_score":0.9},{"index":0,"relevance_score":0.5},{"index":1,"relevance_score":0.1}]}"""
                : """{"id":"x","results":[{"index":0,"relevance_score":0.9},{"index":1,"relevance_score":0.5},{"index":2,"relevance_score":0.1}]}""";
            await RerankTestServer.Respond(context, 200, answer);
        };
        using var reranker = new CohereReranker(_http, TestSetup.Options(_server, o => o.MaxDocumentsPerRequest = 3));

        var ex = Assert.ThrowsAsync<RerankResponseException>(() => reranker.RerankAsync(Query, TestSetup.Documents([.. Enumerable.Range(0, 9).Select(i => $"doc {i}")])));

        Assert.That(ex!.Message, Does.Contain("appears more than once"));
    }
}
