using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Rerank.AspNetCore.Tests;

/// <summary>What the endpoints log: a line per request and per refusal, never the key, the query or a document.</summary>
public sealed class LoggingTests
{
    private const string SecretText = "confidential-passage-51d9";
    private const string SecretKey = "bearer-canary-0c3a";

    [Test]
    public async Task Information_logs_hold_neither_the_api_key_nor_the_query_nor_a_document()
    {
        var collector = new FakeLogCollector();
        await using LoopbackRerankServer server = await LoopbackRerankServer.StartAsync(services: s =>
            s.AddLogging(b => b.AddProvider(new FakeLoggerProvider(collector)).SetMinimumLevel(LogLevel.Information)));
        server.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SecretKey);
        string ok = $$"""{"query": "{{SecretText}} query", "documents": ["{{SecretText}} one", "two"]}""";
        string refused = $$"""{"query": "{{SecretText}}", "documents": [{"{{SecretText}}": 1}]}""";

        using HttpResponseMessage served = await server.Client.PostAsync("v2/rerank", new StringContent(ok, Encoding.UTF8, "application/json"));
        using HttpResponseMessage refusal = await server.Client.PostAsync("v1/rerank", new StringContent(refused, Encoding.UTF8, "application/json"));

        IReadOnlyList<FakeLogRecord> records = collector.GetSnapshot();
        Assert.Multiple(() =>
        {
            Assert.That(served.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(refusal.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
            Assert.That(records.Select(r => r.Message), Has.Some.StartsWith("Reranked 2 documents with test-model"));
            Assert.That(records.Select(r => r.Message), Has.Some.StartsWith("Refused a jina rerank request with HTTP 422"));
            Assert.That(records.Select(r => r.Message + " " + string.Join(",", r.StructuredState?.Select(p => p.Value) ?? [])),
                Has.None.Contains(SecretText).And.None.Contains(SecretKey));
        });
    }
}
