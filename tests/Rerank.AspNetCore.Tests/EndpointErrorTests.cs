using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Rerank.AspNetCore.Tests;

/// <summary>Every refusal of the rerank endpoints: the status, the format's own error shape, and a server that keeps serving.</summary>
public sealed class EndpointErrorTests
{
    private const string Valid = """{"model":"test-model","query":"plants sunlight","documents":["plants use sunlight","stock market"]}""";
    private LoopbackRerankServer _server = null!;
    private GateReranker _gate = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _gate = new GateReranker();
        _server = await LoopbackRerankServer.StartAsync(
            limits: o => { o.MaxDocuments = 100; o.MaxRequestBytes = 64 * 1024; o.MaxDocumentChars = 1000; },
            services: s =>
            {
                s.AddKeyedSingleton<IReranker>("gate", _gate);
                s.AddKeyedSingleton<IReranker>("broken", new ThrowingReranker());
            });
    }

    [OneTimeTearDown]
    public async Task Stop() => await _server.DisposeAsync();

    [TearDown]
    public async Task ServerStillServes()
    {
        (HttpStatusCode status, _) = await PostAsync("v2/rerank", Valid);
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), "The server must keep serving after every bad request.");
    }

    [TestCase("v2/rerank", "message")]
    [TestCase("v1/rerank", "detail")]
    [TestCase("rerank", "error")]
    public async Task Malformed_json_is_400_in_the_formats_error_shape(string path, string messageField)
    {
        (HttpStatusCode status, JsonElement body) = await PostAsync(path, """{"query": "q", "documents": [""");
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body.GetProperty(messageField).GetString(), Does.StartWith("The body is not valid JSON"));
    }

    [Test]
    public async Task Tei_and_vllm_errors_carry_their_error_types()
    {
        (_, JsonElement tei) = await PostAsync("rerank", """{"query": "", "texts": ["a"]}""");
        (_, JsonElement vllm) = await PostAsync("v1/rerank", """{"query": "", "documents": ["a"]}""");
        Assert.Multiple(() =>
        {
            Assert.That(tei.GetProperty("error_type").GetString(), Is.EqualTo("Validation"));
            Assert.That(vllm.GetProperty("object").GetString(), Is.EqualTo("error"));
            Assert.That(vllm.GetProperty("code").GetInt32(), Is.EqualTo(400));
        });
    }

    [Test]
    public async Task Deeply_nested_json_is_400_not_a_crash()
    {
        string nested = new string('[', 10_000) + new string(']', 10_000);
        (HttpStatusCode status, JsonElement body) = await PostAsync("v2/rerank", "{\"query\":\"q\",\"documents\":[\"a\"],\"x\":" + nested + "}");
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body.GetProperty("message").GetString(), Does.Contain("depth"));
    }

    [TestCase("[1, 2]", "The body must be a JSON object, not an array.")]
    [TestCase("""{"documents": ["a"]}""", "'query' is required.")]
    [TestCase("""{"query": 5, "documents": ["a"]}""", "'query' must be a string, not a number.")]
    [TestCase("""{"query": "q"}""", "'documents' is required.")]
    [TestCase("""{"query": "q", "documents": "a"}""", "'documents' must be an array of strings, not a string.")]
    [TestCase("""{"query": "q", "documents": [{"text": "a"}]}""", "'documents[0]' must be a string, not an object.")]
    [TestCase("""{"query": "q", "documents": ["a", 42]}""", "'documents[1]' must be a string, not a number.")]
    [TestCase("""{"query": "q", "documents": ["a"], "top_n": "NaN"}""", "'top_n' must be an integer of at least 1, not the string \"NaN\".")]
    [TestCase("""{"query": "q", "documents": ["a"], "top_n": 0}""", "'top_n' must be an integer of at least 1, not 0.")]
    [TestCase("""{"query": "q", "documents": ["a"], "top_n": 1.5}""", "'top_n' must be an integer of at least 1, not 1.5.")]
    [TestCase("""{"query": "q", "documents": ["a"], "max_tokens_per_doc": -3}""", "'max_tokens_per_doc' must be an integer of at least 1, not -3.")]
    [TestCase("""{"query": "q", "documents": ["a"], "model": 7}""", "'model' must be a string, not a number.")]
    public async Task Wrong_types_are_422_naming_the_field(string json, string message)
    {
        (HttpStatusCode status, JsonElement body) = await PostAsync("v2/rerank", json);
        Assert.That(status, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(body.GetProperty("message").GetString(), Is.EqualTo(message));
    }

    [Test]
    public async Task A_NaN_literal_in_top_n_is_not_json_and_is_400()
    {
        (HttpStatusCode status, _) = await PostAsync("v2/rerank", """{"query": "q", "documents": ["a"], "top_n": NaN}""");
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [TestCase("v2/rerank", """{"query": "", "documents": ["a"]}""", "'query' must not be empty.")]
    [TestCase("v2/rerank", """{"query": "  \t", "documents": ["a"]}""", "'query' must not be empty.")]
    [TestCase("v2/rerank", """{"query": "q", "documents": []}""", "'documents' must not be empty.")]
    [TestCase("rerank", """{"query": "q", "texts": []}""", "'texts' must not be empty.")]
    public async Task Empty_query_or_documents_are_400(string path, string json, string message)
    {
        (HttpStatusCode status, JsonElement body) = await PostAsync(path, json);
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(Message(body), Is.EqualTo(message));
    }

    [TestCase("v2/rerank", "documents")]
    [TestCase("v1/rerank", "documents")]
    [TestCase("rerank", "texts")]
    public async Task Ten_thousand_documents_are_413_naming_the_limit(string path, string field)
    {
        string json = JsonSerializer.Serialize(new Dictionary<string, object> { ["query"] = "q", [field] = Enumerable.Repeat("d", 10_000) });
        (HttpStatusCode status, JsonElement body) = await PostAsync(path, json);
        Assert.That(status, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(Message(body), Is.EqualTo($"'{field}' has 10000 items; this server accepts at most 100 per request."));
    }

    [Test]
    public async Task A_document_over_MaxDocumentChars_is_413()
    {
        string json = JsonSerializer.Serialize(new { query = "q", documents = new[] { "ok", new string('x', 1001) } });
        (HttpStatusCode status, JsonElement body) = await PostAsync("v2/rerank", json);
        Assert.That(status, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(body.GetProperty("message").GetString(), Is.EqualTo("'documents[1]' has 1001 characters; this server accepts at most 1000."));
    }

    [Test]
    public async Task A_query_over_MaxDocumentChars_is_413()
    {
        string json = JsonSerializer.Serialize(new { query = new string('q', 1001), documents = new[] { "ok" } });
        (HttpStatusCode status, _) = await PostAsync("v2/rerank", json);
        Assert.That(status, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task A_10_MB_body_is_413_with_or_without_a_content_length(bool declareLength)
    {
        string json = "{\"query\":\"q\",\"documents\":[\"" + new string('x', 10 * 1024 * 1024) + "\"]}";
        byte[] bytes = Encoding.UTF8.GetBytes(json);

        // Without a length the body is sent chunked: the server finds out the size only by reading.
        using HttpContent content = declareLength ? new ByteArrayContent(bytes) : new UnknownLengthContent(bytes);
        using var request = new HttpRequestMessage(HttpMethod.Post, "v2/rerank") { Content = content };
        HttpResponseMessage response;
        try
        {
            response = await _server.Client.SendAsync(request);
        }
        catch (HttpRequestException)
        {
            // Kestrel may close the connection once it has answered 413 and the client is still sending; that is a refusal too.
            Assert.Pass("The server refused the body by closing the connection.");
            return;
        }

        using (response)
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
            using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.That(body.RootElement.GetProperty("message").GetString(), Is.EqualTo("The request body is larger than this server's limit of 65536 bytes."));
        }
    }

    [TestCase("v2/rerank", "message")]
    [TestCase("v1/rerank", "detail")]
    public async Task An_unknown_model_is_404_listing_the_served_models(string path, string messageField)
    {
        (HttpStatusCode status, JsonElement body) = await PostAsync(path, """{"model": "no-such-model", "query": "q", "documents": ["a"]}""");
        Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(body.GetProperty(messageField).GetString(), Is.EqualTo("The model 'no-such-model' is not served here. Served models: test-model, bm25."));
    }

    [Test]
    public async Task Unknown_fields_are_ignored()
    {
        (HttpStatusCode status, JsonElement body) = await PostAsync(
            "v2/rerank", """{"query": "plants", "documents": ["plants"], "return_documents": true, "future_field": {"a": [1]}}""");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body.GetProperty("results").GetArrayLength(), Is.EqualTo(1));
    }

    [Test]
    public async Task A_failing_reranker_is_500_without_its_message_or_a_stack_trace()
    {
        (HttpStatusCode status, JsonElement body) = await PostAsync("v2/rerank", """{"model": "broken", "query": "q", "documents": ["a"]}""");
        string text = body.GetRawText();
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.InternalServerError));
            Assert.That(body.GetProperty("message").GetString(), Is.EqualTo("The reranker failed; the server's log has the details."));
            Assert.That(text, Does.Not.Contain(ThrowingReranker.Secret));
            Assert.That(text, Does.Not.Contain(" at "));
        });
    }

    [Test]
    public async Task A_client_that_goes_away_cancels_the_reranking()
    {
        using var cts = new CancellationTokenSource();
        using var content = new StringContent("""{"model": "gate", "query": "q", "documents": ["a"]}""", Encoding.UTF8, "application/json");
        Task<HttpResponseMessage> call = _server.Client.PostAsync("v2/rerank", content, cts.Token);
        await _gate.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await cts.CancelAsync();
        Assert.That(async () => await call, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(async () => await _gate.Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(30)), Throws.Nothing);
    }

    [Test]
    public void Conventions_on_the_returned_builder_reach_all_three_endpoints()
    {
        EndpointDataSource source = _server.Services.GetRequiredService<EndpointDataSource>();
        string[] names = [.. source.Endpoints.Select(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? string.Empty).Where(n => n.EndsWith("Rerank", StringComparison.Ordinal)).Order()];
        Assert.That(names, Is.EqualTo(new[] { "CohereRerank", "JinaRerank", "TeiRerank" }));
    }

    [Test]
    public async Task Invalid_options_stop_the_host_at_start_naming_the_setting()
    {
        OptionsValidationException? error = null;
        try
        {
            await using LoopbackRerankServer server = await LoopbackRerankServer.StartAsync(limits: o => { o.MaxDocuments = 0; o.MaxJsonDepth = 1; });
        }
        catch (OptionsValidationException e)
        {
            error = e;
        }

        Assert.That(error, Is.Not.Null);
        Assert.That(error!.Failures, Is.EquivalentTo(new[]
        {
            "RerankServer:MaxDocuments is 0; it must be at least 1.",
            "RerankServer:MaxJsonDepth is 1; it must be between 4 and 256.",
        }));
    }

    private static string? Message(JsonElement body) =>
        body.TryGetProperty("message", out JsonElement m) ? m.GetString()
        : body.TryGetProperty("detail", out JsonElement d) ? d.GetString()
        : body.GetProperty("error").GetString();

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await _server.Client.PostAsync(path, content);
        string text = await response.Content.ReadAsStringAsync();
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"), text);
        using JsonDocument document = JsonDocument.Parse(text);
        return (response.StatusCode, document.RootElement.Clone());
    }
}
