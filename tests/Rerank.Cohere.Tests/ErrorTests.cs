using System.Net;
using Microsoft.Extensions.Logging;
using Rerank.Cohere.Tests.Server;

namespace Rerank.Cohere.Tests;

/// <summary>Client errors fail at once with a typed exception that carries the status, the provider's message and a hint, and never the key.</summary>
[TestFixture]
public sealed class ErrorTests
{
    private const string Query = "capital of the United States";
    private static readonly string[] Texts = ["Carson City is the capital of Nevada.", "Washington is the capital of the United States."];

    private static async Task<(RerankHttpException Exception, RerankerUnderTest Reranker, RerankTestServer Server)> FailAsync(
        ClientMode mode, RerankApiDialect dialect, int status, string body, Action<CohereRerankerOptions>? configure = null)
    {
        RerankTestServer server = await RerankTestServer.StartAsync(dialect);
        server.Always = c => RerankTestServer.Respond(c, status, body);
        var rut = RerankerUnderTest.Create(mode, server, configure);
        var ex = Assert.ThrowsAsync<RerankHttpException>(() => rut.Reranker.RerankAsync(Query, TestSetup.Documents(Texts)));
        return (ex!, rut, server);
    }

    private static void AssertNoKey(Exception ex, RerankerUnderTest rut)
    {
        Assert.That(ex.ToString(), Does.Not.Contain(TestSetup.CanaryKey));
        Assert.That(rut.LogLines(), Is.Not.Empty);
        Assert.That(rut.LogLines(), Has.None.Contain(TestSetup.CanaryKey));
    }

    [TestCase(ClientMode.Plain, 400, "invalid request: model 'rerank-v9' not found", "Check model 'rerank-v3.5'")]
    [TestCase(ClientMode.Plain, 401, "invalid api token", "CO_API_KEY")]
    [TestCase(ClientMode.Plain, 403, "this key cannot use rerank models", "not allowed")]
    [TestCase(ClientMode.Plain, 404, "model not found", "Check Endpoint, Path and Dialect")]
    [TestCase(ClientMode.DependencyInjection, 400, "invalid request: too many documents", "Check model 'rerank-v3.5'")]
    [TestCase(ClientMode.DependencyInjection, 401, "invalid api token", "CO_API_KEY")]
    [TestCase(ClientMode.DependencyInjection, 403, "forbidden", "not allowed")]
    [TestCase(ClientMode.DependencyInjection, 404, "not found", "Check Endpoint, Path and Dialect")]
    public async Task A_client_error_is_not_retried_and_says_what_to_do(ClientMode mode, int status, string providerMessage, string hint)
    {
        (RerankHttpException ex, RerankerUnderTest rut, RerankTestServer server) = await FailAsync(
            mode, RerankApiDialect.Cohere, status, $$"""{"id":"5b6c","message":"{{providerMessage}}"}""");
        await using (server)
        using (rut)
        {
            Assert.That(server.RequestCount, Is.EqualTo(1), "client errors are not retried");
            Assert.That(ex.StatusCode, Is.EqualTo((HttpStatusCode)status));
            Assert.That(ex.ProviderMessage, Is.EqualTo(providerMessage));
            Assert.That(ex.Hint, Does.Contain(hint));
            Assert.That(ex.Message, Does.Contain($"HTTP {status}").And.Contain(providerMessage).And.Contain(hint));
            Assert.That(ex.ProviderName, Is.EqualTo("cohere"));
            Assert.That(ex.RequestUri, Is.EqualTo(new Uri(server.BaseAddress, "v2/rerank")));
            Assert.That(rut.Logs.GetSnapshot().Where(r => r.Level == LogLevel.Error).Select(r => r.Message), Has.One.Contains(providerMessage));
            AssertNoKey(ex, rut);
        }
    }

    [TestCase(ClientMode.Plain)]
    [TestCase(ClientMode.DependencyInjection)]
    public async Task A_key_the_server_echoes_back_is_redacted_everywhere(ClientMode mode)
    {
        (RerankHttpException ex, RerankerUnderTest rut, RerankTestServer server) = await FailAsync(
            mode, RerankApiDialect.Cohere, 401, $$"""{"message":"invalid api token '{{TestSetup.CanaryKey}}'"}""");
        await using (server)
        using (rut)
        {
            Assert.That(ex.ProviderMessage, Is.EqualTo("invalid api token '[redacted]'"));
            AssertNoKey(ex, rut);
        }
    }

    [Test]
    public async Task A_wrong_key_is_rejected_by_the_server_with_401()
    {
        await using RerankTestServer server = await RerankTestServer.StartAsync(RerankApiDialect.Cohere);
        server.RequiredApiKey = "the-right-key";
        using var rut = RerankerUnderTest.Create(ClientMode.Plain, server);

        var ex = Assert.ThrowsAsync<RerankHttpException>(() => rut.Reranker.RerankAsync(Query, TestSetup.Documents(Texts)));

        Assert.That(ex!.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(ex.Hint, Does.Contain("The API key was rejected"));
        AssertNoKey(ex, rut);
    }

    [Test]
    public async Task A_right_key_is_accepted()
    {
        await using RerankTestServer server = await RerankTestServer.StartAsync(RerankApiDialect.Cohere);
        server.RequiredApiKey = TestSetup.CanaryKey;
        using var rut = RerankerUnderTest.Create(ClientMode.Plain, server);

        RerankResponse response = await rut.Reranker.RerankAsync(Query, TestSetup.Documents(Texts));

        Assert.That(response.Results, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task A_FastAPI_validation_error_lists_its_messages()
    {
        (RerankHttpException ex, RerankerUnderTest rut, RerankTestServer server) = await FailAsync(
            ClientMode.Plain, RerankApiDialect.Infinity, 422,
            """{"detail":[{"loc":["body","documents"],"msg":"List should have at least 1 item","type":"too_short"},{"loc":["body","query"],"msg":"Field required","type":"missing"}]}""");
        await using (server)
        using (rut)
        {
            Assert.That(ex.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
            Assert.That(ex.ProviderMessage, Is.EqualTo("List should have at least 1 item; Field required"));
            Assert.That(ex.Hint, Does.Contain("Dialect (Infinity)"));
            Assert.That(server.RequestCount, Is.EqualTo(1));
        }
    }

    [Test]
    public async Task A_vLLM_error_object_gives_its_message()
    {
        (RerankHttpException ex, RerankerUnderTest rut, RerankTestServer server) = await FailAsync(
            ClientMode.Plain, RerankApiDialect.Vllm, 400,
            """{"object":"error","message":"The model `rerank-v3.5` does not exist.","type":"NotFoundError","param":null,"code":404}""");
        await using (server)
        using (rut)
        {
            Assert.That(ex.ProviderMessage, Is.EqualTo("The model `rerank-v3.5` does not exist."));
        }
    }

    [Test]
    public async Task An_OpenAI_style_error_object_gives_its_message()
    {
        (RerankHttpException ex, RerankerUnderTest rut, RerankTestServer server) = await FailAsync(
            ClientMode.Plain, RerankApiDialect.Infinity, 400, """{"error":{"message":"ModelNotDeployedError: model=`x` not deployed","type":"NotFoundError","code":400}}""");
        await using (server)
        using (rut)
        {
            Assert.That(ex.ProviderMessage, Is.EqualTo("ModelNotDeployedError: model=`x` not deployed"));
        }
    }

    [Test]
    public async Task A_TEI_batch_too_large_points_at_MaxDocumentsPerRequest()
    {
        await using RerankTestServer server = await RerankTestServer.StartAsync(RerankApiDialect.TextEmbeddingsInference);
        using var rut = RerankerUnderTest.Create(ClientMode.Plain, server, o => o.MaxDocumentsPerRequest = 64);

        var ex = Assert.ThrowsAsync<RerankHttpException>(() => rut.Reranker.RerankAsync(Query, TestSetup.Documents([.. Enumerable.Range(0, 40).Select(i => $"doc {i}")])));

        Assert.That(ex!.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(ex.ProviderMessage, Is.EqualTo("batch size 40 > maximum allowed batch size 32"));
        Assert.That(ex.Hint, Does.Contain("MaxDocumentsPerRequest (now 64)"));
    }

    [Test]
    public async Task A_wrong_path_is_a_404_that_names_the_address()
    {
        await using RerankTestServer server = await RerankTestServer.StartAsync(RerankApiDialect.Cohere);
        using var rut = RerankerUnderTest.Create(ClientMode.Plain, server, o => o.Path = "v1/rerank");

        var ex = Assert.ThrowsAsync<RerankHttpException>(() => rut.Reranker.RerankAsync(Query, TestSetup.Documents(Texts)));

        Assert.That(ex!.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(ex.Hint, Does.Contain(new Uri(server.BaseAddress, "v1/rerank").ToString()));
    }

    [Test]
    public async Task A_plain_text_error_body_becomes_the_message()
    {
        (RerankHttpException ex, RerankerUnderTest rut, RerankTestServer server) = await FailAsync(ClientMode.Plain, RerankApiDialect.Cohere, 400, "  bad\r\n request  ");
        await using (server)
        using (rut)
        {
            Assert.That(ex.ProviderMessage, Is.EqualTo("bad request"));
        }
    }

    [TestCase(ClientMode.Plain)]
    [TestCase(ClientMode.DependencyInjection)]
    public async Task Nothing_logged_at_any_level_on_success_contains_the_key(ClientMode mode)
    {
        await using RerankTestServer server = await RerankTestServer.StartAsync(RerankApiDialect.Cohere);
        server.Enqueue(503, """{"message":"overloaded"}""");
        using var rut = RerankerUnderTest.Create(mode, server);

        await rut.Reranker.RerankAsync(Query, TestSetup.Documents(Texts));

        Assert.That(rut.LogLines(), Has.Some.Contain("Sending a cohere rerank request"));
        Assert.That(rut.LogLines(), Has.Some.Contain("HTTP 503"));
        if (mode == ClientMode.DependencyInjection)
        {
            // IHttpClientFactory logs the request headers at Trace; the Authorization value must come out redacted.
            Assert.That(rut.LogLines(), Has.Some.Contain("Request Headers"));
        }

        Assert.That(rut.LogLines(), Has.None.Contain(TestSetup.CanaryKey));
        Assert.That(rut.LogLines(), Has.None.Contain(Texts[0]), "documents are not logged");
    }
}
