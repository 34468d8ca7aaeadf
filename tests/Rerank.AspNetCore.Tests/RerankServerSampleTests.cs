using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Rerank.AspNetCore.Tests;

/// <summary>samples/RerankServer through WebApplicationFactory: BM25 by default, /health, and the optional Bearer API key.</summary>
public sealed class RerankServerSampleTests
{
    private const string Key = "sample-key-4b1f";

    [Test]
    public async Task Without_a_model_it_serves_bm25_and_reports_healthy()
    {
        await using var factory = new WebApplicationFactory<Program>();
        using HttpClient client = factory.CreateClient();

        using HttpResponseMessage health = await client.GetAsync("/health");
        using HttpResponseMessage rerank = await client.PostAsJsonAsync("/v1/rerank", new { query = "plants sunlight", documents = new[] { "stock market", "plants and sunlight" } });
        using JsonDocument body = JsonDocument.Parse(await rerank.Content.ReadAsStringAsync());

        Assert.Multiple(() =>
        {
            Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(rerank.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(body.RootElement.GetProperty("model").GetString(), Is.EqualTo("bm25"));
            Assert.That(body.RootElement.GetProperty("results")[0].GetProperty("index").GetInt32(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task The_openapi_document_lists_the_three_rerank_routes()
    {
        await using var factory = new WebApplicationFactory<Program>();
        using HttpClient client = factory.CreateClient();

        using JsonDocument document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));

        string[] paths = [.. document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];
        Assert.That(paths, Is.SupersetOf(new[] { "/rerank", "/v1/rerank", "/v2/rerank" }));
    }

    [Test]
    public async Task With_an_api_key_rerank_needs_the_bearer_token_and_health_does_not()
    {
        await using WebApplicationFactory<Program> factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b.UseSetting("api-key", Key));
        using HttpClient client = factory.CreateClient();
        object request = new { query = "q", documents = new[] { "a" } };

        using HttpResponseMessage health = await client.GetAsync("/health");
        using HttpResponseMessage anonymous = await client.PostAsJsonAsync("/v2/rerank", request);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "wrong");
        using HttpResponseMessage wrong = await client.PostAsJsonAsync("/v2/rerank", request);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        using HttpResponseMessage right = await client.PostAsJsonAsync("/v2/rerank", request);

        Assert.Multiple(() =>
        {
            Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(right.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [Test]
    public async Task A_rate_limit_refuses_the_request_over_it_with_429()
    {
        await using WebApplicationFactory<Program> factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b.UseSetting("rate-limit", "1"));
        using HttpClient client = factory.CreateClient();
        object request = new { query = "q", documents = new[] { "a" } };

        using HttpResponseMessage first = await client.PostAsJsonAsync("/rerank", new { query = "q", texts = new[] { "a" } });
        using HttpResponseMessage second = await client.PostAsJsonAsync("/v2/rerank", request);

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
    }
}
