using System.Net;
using Microsoft.Extensions.Logging.Testing;
using Rerank.Cohere.Tests.Server;

namespace Rerank.Cohere.Tests;

/// <summary>
/// Nothing credential-like reaches a caller or a log: the key, bearer tokens and query strings are redacted from server
/// warnings, exception messages and inner exceptions (the endpoint itself may carry neither: options refuse it).
/// </summary>
[TestFixture]
public sealed class RedactionTests
{
    private const string Query = "capital of the United States";
    private const string BearerSecret = "eyJhbGciOiJIUzI1NiJ9.c2VjcmV0.sig";
    private const string QuerySecret = "qs-secret-77c1";
    private static readonly string[] Texts = ["Carson City is the capital of Nevada.", "Washington is the capital of the United States."];

    private static void AssertNothingSecret(string text)
    {
        Assert.That(text, Does.Not.Contain(TestSetup.CanaryKey).And.Not.Contain(BearerSecret).And.Not.Contain(QuerySecret));
    }

    [TestCase(ClientMode.Plain)]
    [TestCase(ClientMode.DependencyInjection)]
    public async Task Server_warnings_are_redacted_in_the_response_and_the_log(ClientMode mode)
    {
        await using RerankTestServer server = await RerankTestServer.StartAsync(RerankApiDialect.Cohere);
        server.Always = c => RerankTestServer.Respond(c, 200, $$$"""
            {"results":[{"index":0,"relevance_score":0.5},{"index":1,"relevance_score":0.9}],
             "meta":{"warnings":["key {{{TestSetup.CanaryKey}}} is deprecated","sent Authorization: Bearer {{{BearerSecret}}}","see https://status.example/x?api_key={{{QuerySecret}}}&a=1"]}}
            """);
        using var rut = RerankerUnderTest.Create(mode, server);

        RerankResponse response = await rut.Reranker.RerankAsync(Query, TestSetup.Documents(Texts));

        var warnings = (string[])response.AdditionalProperties![RerankResponseProperties.HttpWarnings]!;
        Assert.That(warnings, Is.EqualTo(new[] { "key [redacted] is deprecated", "sent Authorization: Bearer [redacted]", "see https://status.example/x?[redacted]" }));
        Assert.That(rut.LogLines().Count(l => l.Contains("warned", StringComparison.Ordinal)), Is.EqualTo(3));
        rut.LogLines().ToList().ForEach(AssertNothingSecret);
    }

    [Test]
    public void A_transport_failure_is_redacted_down_to_the_innermost_exception()
    {
        var logger = new FakeLogger<CohereReranker>();
        var failure = new HttpRequestException(
            HttpRequestError.ProxyTunnelError,
            $"The proxy at http://user:{TestSetup.CanaryKey}@proxy.local/?token={QuerySecret} refused the tunnel.",
            new IOException($"Proxy said: 407, you sent Bearer {BearerSecret}"),
            HttpStatusCode.ProxyAuthenticationRequired);
        using var http = new HttpClient(new ThrowingHandler(failure));
        using var reranker = new CohereReranker(http, new CohereRerankerOptions
        {
            ApiKey = TestSetup.CanaryKey,
            Endpoint = new Uri("https://rerank.example/"),
            Retry = { MaxRetryAttempts = 0 },
        }, logger);

        RerankHttpException ex = Assert.ThrowsAsync<RerankHttpException>(() => reranker.RerankAsync(Query, TestSetup.Documents(Texts)))!;

        AssertNothingSecret(ex.ToString());
        var inner = (HttpRequestException)ex.InnerException!;
        Assert.That(inner.StatusCode, Is.EqualTo(HttpStatusCode.ProxyAuthenticationRequired), "the status survives redaction");
        Assert.That(inner.HttpRequestError, Is.EqualTo(HttpRequestError.ProxyTunnelError));
        Assert.That(inner.InnerException!.Message, Does.Contain("Bearer [redacted]"));
        Assert.That(ex.Message, Does.Contain("proxy.local"), "what is not secret stays, so the message still helps");
        logger.Collector.GetSnapshot().Select(r => $"{r.Message} {r.Exception}").ToList().ForEach(AssertNothingSecret);
    }

    [Test]
    public void A_transport_failure_without_secrets_is_passed_on_as_it_was()
    {
        var failure = new HttpRequestException("Connection refused (127.0.0.1:9)");
        using var http = new HttpClient(new ThrowingHandler(failure));
        using var reranker = new CohereReranker(http, new CohereRerankerOptions { ApiKey = TestSetup.CanaryKey, Endpoint = new Uri("http://127.0.0.1:9"), Retry = { MaxRetryAttempts = 0 } });

        RerankHttpException ex = Assert.ThrowsAsync<RerankHttpException>(() => reranker.RerankAsync(Query, TestSetup.Documents(Texts)))!;

        Assert.That(ex.InnerException, Is.SameAs(failure));
    }

    private sealed class ThrowingHandler(Exception failure) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => Task.FromException<HttpResponseMessage>(failure);
    }
}
