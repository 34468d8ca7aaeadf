using System.Text.Json;
using System.Text.Json.Nodes;
using Rerank.Cohere.Tests.Server;
using Rerank.Testing;

namespace Rerank.Cohere.Tests;

/// <summary>More documents than one request may carry: several requests, merged with global indices, usage summed, TopN after the merge.</summary>
[TestFixture]
public sealed class SplittingTests
{
    private const string Query = "solar energy from sunlight";

    private static List<RerankDocument> ManyDocuments(int count)
    {
        string[] words = ["solar", "energy", "sunlight", "wind", "coal", "panels", "from", "market", "bread", "honey"];
        var documents = new List<RerankDocument>(count);
        for (int i = 0; i < count; i++)
        {
            // Deterministic mixes of words, so that scores spread out and many documents tie, across request boundaries too.
            string text = string.Join(' ', Enumerable.Range(0, 1 + (i % 5)).Select(k => words[((i * 7) + (k * 3)) % words.Length]));
            documents.Add(new RerankDocument(text) { Id = $"doc-{i}" });
        }

        return documents;
    }

    private static IReadOnlyList<RerankResult> Reference(IReadOnlyList<RerankDocument> documents, RerankOptions? options)
    {
        double[] scores = [.. documents.Select(d => TestReranker.Score(Query, d.Text))];
        return RerankContract.Rank(documents, scores, options);
    }

    [Test]
    public async Task Cohere_splits_2345_documents_into_three_even_requests_and_merges_them()
    {
        await using RerankTestServer server = await RerankTestServer.StartAsync(RerankApiDialect.Cohere);
        using var http = new HttpClient();
        using var reranker = new CohereReranker(http, TestSetup.Options(server));
        List<RerankDocument> documents = ManyDocuments(2345);
        var options = new RerankOptions { TopN = 25 };

        RerankResponse response = await reranker.RerankAsync(Query, documents, options);

        JsonObject[] bodies = [.. server.Requests.Select(r => JsonNode.Parse(r.Body)!.AsObject())];
        Assert.That(bodies.Select(b => b["documents"]!.AsArray().Count).Order(), Is.EqualTo(new[] { 781, 782, 782 }));
        Assert.That(bodies, Has.All.Matches<JsonObject>(b => !b.ContainsKey("top_n")), "no top_n when splitting: TopN is applied after the merge");

        IReadOnlyList<RerankResult> expected = Reference(documents, options);
        Assert.That(response.Results.Select(r => r.Index), Is.EqualTo(expected.Select(r => r.Index)));
        Assert.That(response.Results.Select(r => r.Score), Is.EqualTo(expected.Select(r => r.Score)));
        Assert.That(response.Results.Select(r => r.Document), Is.EqualTo(expected.Select(r => r.Document)).Using<RerankDocument>(ReferenceEquals));

        Assert.That(response.Usage!.SearchUnits, Is.EqualTo(8 + 8 + 8), "search units summed over the requests");
        Assert.That(response.AdditionalProperties![RerankResponseProperties.HttpRequestCount], Is.EqualTo(3));
        Assert.That((string[])response.AdditionalProperties[RerankResponseProperties.HttpResponseIds]!, Has.Length.EqualTo(3).And.Unique);
        Assert.That(response.ResponseId, Is.Null);
        Assert.That((JsonElement[])response.RawRepresentation!, Has.Length.EqualTo(3));
    }

    [Test]
    public async Task Without_TopN_every_document_comes_back_in_global_order()
    {
        await using RerankTestServer server = await RerankTestServer.StartAsync(RerankApiDialect.Cohere);
        using var http = new HttpClient();
        using var reranker = new CohereReranker(http, TestSetup.Options(server));
        List<RerankDocument> documents = ManyDocuments(2001);

        RerankResponse response = await reranker.RerankAsync(Query, documents);

        Assert.That(server.RequestCount, Is.EqualTo(3));
        Assert.That(response.Results.Select(r => r.Index), Is.EqualTo(Reference(documents, null).Select(r => r.Index)));
    }

    [TestCase(RerankApiDialect.Cohere)]
    [TestCase(RerankApiDialect.Jina)]
    [TestCase(RerankApiDialect.Voyage)]
    [TestCase(RerankApiDialect.TextEmbeddingsInference)]
    [TestCase(RerankApiDialect.Infinity)]
    [TestCase(RerankApiDialect.Vllm)]
    public async Task Every_dialect_merges_split_requests_into_the_one_request_ranking(RerankApiDialect dialect)
    {
        await using RerankTestServer server = await RerankTestServer.StartAsync(dialect);
        using var http = new HttpClient();
        using var whole = new CohereReranker(http, TestSetup.Options(server));
        using var split = new CohereReranker(http, TestSetup.Options(server, o => o.MaxDocumentsPerRequest = 4));
        List<RerankDocument> documents = ManyDocuments(30);
        var options = new RerankOptions { TopN = 7 };

        RerankResponse one = await whole.RerankAsync(Query, documents, options);
        long afterOne = server.RequestCount;
        RerankResponse merged = await split.RerankAsync(Query, documents, options);

        Assert.That(afterOne, Is.EqualTo(1));
        Assert.That(server.RequestCount - afterOne, Is.EqualTo(8), "30 documents, 4 a request");
        Assert.That(merged.Results.Select(r => (r.Index, r.Score)), Is.EqualTo(one.Results.Select(r => (r.Index, r.Score))));
        Assert.That(merged.Results.Select(r => r.Index), Is.EqualTo(Reference(documents, options).Select(r => r.Index)));
        if (one.Usage?.TotalTokenCount is long total)
        {
            // Token counts of the split requests add up to more than one request's (the query is counted in each), never to less.
            Assert.That(merged.Usage!.TotalTokenCount, Is.GreaterThanOrEqualTo(total));
        }
    }

    [Test]
    public async Task Token_usage_is_the_sum_of_the_requests()
    {
        await using RerankTestServer server = await RerankTestServer.StartAsync(RerankApiDialect.Infinity);
        server.Enqueue(200, """{"object":"rerank","results":[{"relevance_score":0.9,"index":0},{"relevance_score":0.1,"index":1}],"model":"m","usage":{"prompt_tokens":10,"total_tokens":11},"id":"a","created":1}""");
        server.Enqueue(200, """{"object":"rerank","results":[{"relevance_score":0.2,"index":1},{"relevance_score":0.8,"index":0}],"model":"m","usage":{"prompt_tokens":20,"total_tokens":22},"id":"b","created":1}""");
        using var http = new HttpClient();
        using var reranker = new CohereReranker(http, TestSetup.Options(server, o =>
        {
            o.MaxDocumentsPerRequest = 2;
            o.MaxConcurrentRequests = 1;
        }));

        RerankResponse response = await reranker.RerankAsync(Query, TestSetup.Documents("a", "b", "c", "d"));

        Assert.That(response.Usage!.InputTokenCount, Is.EqualTo(30));
        Assert.That(response.Usage.TotalTokenCount, Is.EqualTo(33));
        Assert.That(response.Results.Select(r => (r.Index, r.Score)), Is.EqualTo(new[] { (0, 0.9), (2, 0.8), (3, 0.2), (1, 0.1) }));
        Assert.That(response.AdditionalProperties![RerankResponseProperties.HttpResponseIds], Is.EqualTo(new[] { "a", "b" }));
    }

    [Test]
    public async Task Tei_splits_at_its_default_batch_size_of_32_without_configuration()
    {
        await using RerankTestServer server = await RerankTestServer.StartAsync(RerankApiDialect.TextEmbeddingsInference);
        using var http = new HttpClient();
        using var reranker = new CohereReranker(http, TestSetup.Options(server));

        RerankResponse response = await reranker.RerankAsync(Query, ManyDocuments(100), new RerankOptions { TopN = 3 });

        Assert.That(server.RequestCount, Is.EqualTo(4));
        Assert.That(server.Requests.Select(r => JsonNode.Parse(r.Body)!["texts"]!.AsArray().Count), Has.All.EqualTo(25));
        Assert.That(response.Results, Has.Count.EqualTo(3));
    }

    [Test]
    public async Task At_most_MaxConcurrentRequests_are_in_flight()
    {
        await using RerankTestServer server = await RerankTestServer.StartAsync(RerankApiDialect.Cohere);
        int inFlight = 0, maxInFlight = 0;
        var twoInFlight = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Always = async context =>
        {
            int now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref maxInFlight, now);
            if (now >= 2)
            {
                twoInFlight.TrySetResult();
            }

            // Hold the first requests until two are in flight at once (so a client that sent one at a time fails rather
            // than passes), then keep each open a moment longer so that a third, over the limit, would be seen.
            try
            {
                await twoInFlight.Task.WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (TimeoutException)
            {
                // Requests sent one at a time: answer anyway; the assertion on maxInFlight reports it.
            }

            await Task.Delay(30);
            Interlocked.Decrement(ref inFlight);
            await server.AnswerAsync(context);
        };
        using var http = new HttpClient();
        using var reranker = new CohereReranker(http, TestSetup.Options(server, o =>
        {
            o.MaxDocumentsPerRequest = 5;
            o.MaxConcurrentRequests = 2;
        }));

        RerankResponse response = await reranker.RerankAsync(Query, ManyDocuments(40));

        Assert.That(server.RequestCount, Is.EqualTo(8));
        Assert.That(maxInFlight, Is.EqualTo(2), "MaxConcurrentRequests = 2: two requests run at once, never more");
        Assert.That(response.Results, Has.Count.EqualTo(40));
    }

    [Test]
    public async Task Cancelling_a_split_call_aborts_its_requests()
    {
        await using RerankTestServer server = await RerankTestServer.StartAsync(RerankApiDialect.Cohere);
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Always = context =>
        {
            arrived.TrySetResult();
            return RerankTestServer.Hang(context);
        };
        using var http = new HttpClient();
        using var reranker = new CohereReranker(http, TestSetup.Options(server, o => o.MaxDocumentsPerRequest = 5));
        using var cts = new CancellationTokenSource();

        Task<RerankResponse> call = reranker.RerankAsync(Query, ManyDocuments(20), cancellationToken: cts.Token);
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cts.CancelAsync();

        Assert.That(async () => await call, Throws.InstanceOf<OperationCanceledException>());
        await server.WaitForAbortAsync(TimeSpan.FromSeconds(10));
    }

    [Test]
    public async Task A_failing_request_cancels_the_others_and_its_error_is_the_one_reported()
    {
        await using RerankTestServer server = await RerankTestServer.StartAsync(RerankApiDialect.Cohere);
        server.Always = async context =>
        {
            if (!RerankTestServer.Body(context).Contains("poison", StringComparison.Ordinal))
            {
                await RerankTestServer.Hang(context);
                return;
            }

            // Fail only once all four requests are in, so that the other three are surely in flight when it does.
            while (server.RequestCount < 4)
            {
                await Task.Delay(5, context.RequestAborted);
            }

            await RerankTestServer.Respond(context, 400, """{"message":"document 2 is poison"}""");
        };
        using var http = new HttpClient();
        using var reranker = new CohereReranker(http, TestSetup.Options(server, o => o.MaxDocumentsPerRequest = 2));
        List<RerankDocument> documents = ManyDocuments(8);
        documents[5] = new RerankDocument("poison");

        var ex = Assert.ThrowsAsync<RerankHttpException>(() => reranker.RerankAsync(Query, documents));

        Assert.That(ex!.ProviderMessage, Is.EqualTo("document 2 is poison"));
        Assert.That(() => server.AbortedCount, Is.EqualTo(3).After(10_000, 20), "the three hanging requests were aborted");
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
