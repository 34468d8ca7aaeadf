using System.Text.Json;
using Rerank.Cohere.Tests.Server;

namespace Rerank.Cohere.Tests;

/// <summary>
/// Pins each dialect's wire format: the exact JSON the reranker sends, and how it reads the exact JSON each provider documents
/// (results, scores, usage, ids, warnings).
/// </summary>
[TestFixture]
public sealed class WireFormatTests
{
    private const string Query = "What is the capital of the United States?";

    private static readonly string[] Texts =
    [
        "Carson City is the capital city of Nevada.",
        "Washington, D.C. is the capital of the United States.",
        "Capital punishment has existed in the United States.",
    ];

    private const string TextsJson =
        """["Carson City is the capital city of Nevada.","Washington, D.C. is the capital of the United States.","Capital punishment has existed in the United States."]""";

    private static async Task<(RerankResponse Response, RecordedRequest Request)> RoundTripAsync(
        RerankApiDialect dialect, string answer, Action<CohereRerankerOptions>? configure = null, RerankOptions? options = null, Action<Microsoft.AspNetCore.Http.HttpResponse>? headers = null)
    {
        await using RerankTestServer server = await RerankTestServer.StartAsync(dialect);
        server.Enqueue(200, answer, headers: headers);
        using var http = new HttpClient();
        using var reranker = new CohereReranker(http, TestSetup.Options(server, configure));

        RerankResponse response = await reranker.RerankAsync(Query, TestSetup.Documents(Texts), options ?? new RerankOptions { TopN = 2 });

        Assert.That(server.Requests, Has.Count.EqualTo(1));
        server.Requests.TryPeek(out RecordedRequest? request);
        return (response, request!);
    }

    [Test]
    public async Task Cohere_v2_sends_model_query_documents_top_n_and_max_tokens_per_doc_and_reads_meta()
    {
        const string Answer = """
            {
              "results": [
                { "index": 1, "relevance_score": 0.999071 },
                { "index": 0, "relevance_score": 0.32713068 }
              ],
              "id": "07734bd2-2473-4f07-94e1-0d9f0e6843cf",
              "meta": {
                "api_version": { "version": "2", "is_experimental": false },
                "billed_units": { "search_units": 1 },
                "tokens": { "input_tokens": 42, "output_tokens": 0 },
                "warnings": ["max_tokens_per_doc truncated 1 document"]
              }
            }
            """;

        (RerankResponse response, RecordedRequest request) = await RoundTripAsync(
            RerankApiDialect.Cohere, Answer, o => o.MaxTokensPerDocument = 512);

        Assert.That(request.Method, Is.EqualTo("POST"));
        Assert.That(request.Path, Is.EqualTo("/v2/rerank"));
        Assert.That(request.ContentType, Is.EqualTo("application/json"));
        Assert.That(request.Accept, Is.EqualTo("application/json"));
        Assert.That(request.Authorization, Is.EqualTo("Bearer " + TestSetup.CanaryKey));
        Assert.That(request.Body, Is.EqualTo($$"""{"model":"rerank-v3.5","query":"{{Query}}","documents":{{TextsJson}},"top_n":2,"max_tokens_per_doc":512}"""));

        Assert.That(response.Results.Select(r => (r.Index, r.Score)), Is.EqualTo(new[] { (1, 0.999071), (0, 0.32713068) }));
        Assert.That(response.Results[0].Document.Text, Is.EqualTo(Texts[1]));
        Assert.That(response.ResponseId, Is.EqualTo("07734bd2-2473-4f07-94e1-0d9f0e6843cf"));
        Assert.That(response.ModelId, Is.EqualTo("rerank-v3.5"));
        Assert.That(response.Usage!.SearchUnits, Is.EqualTo(1));
        Assert.That(response.Usage.InputTokenCount, Is.EqualTo(42));
        Assert.That(response.Usage.OutputTokenCount, Is.Zero);
        Assert.That(response.AdditionalProperties![RerankResponseProperties.HttpWarnings], Is.EqualTo(new[] { "max_tokens_per_doc truncated 1 document" }));
        Assert.That(response.AdditionalProperties[RerankResponseProperties.HttpApiVersion], Is.EqualTo("2"));
        Assert.That(((JsonElement)response.RawRepresentation!).GetProperty("id").GetString(), Is.EqualTo("07734bd2-2473-4f07-94e1-0d9f0e6843cf"));
    }

    [Test]
    public async Task Cohere_keeps_other_billed_units_by_name()
    {
        const string Answer = """
            {"id":"x","results":[{"index":1,"relevance_score":0.9},{"index":0,"relevance_score":0.1}],
             "meta":{"billed_units":{"search_units":2.0,"images":3,"input_tokens":40}}}
            """;

        (RerankResponse response, _) = await RoundTripAsync(RerankApiDialect.Cohere, Answer);

        Assert.That(response.Usage!.SearchUnits, Is.EqualTo(2));
        Assert.That(response.Usage.InputTokenCount, Is.EqualTo(40), "billed input tokens when meta.tokens is absent");
        Assert.That(response.Usage.AdditionalCounts, Is.EquivalentTo(new Dictionary<string, long> { ["billed_units.images"] = 3, ["billed_units.input_tokens"] = 40 }));
    }

    [Test]
    public async Task Jina_sends_top_n_and_return_documents_false_and_reads_usage_total_tokens()
    {
        const string Answer = """
            {
              "model": "jina-reranker-v2-base-multilingual",
              "usage": { "total_tokens": 815, "prompt_tokens": 815 },
              "results": [
                { "index": 1, "document": { "text": "Washington, D.C. is the capital of the United States." }, "relevance_score": 0.8783142566680908 },
                { "index": 0, "relevance_score": 0.1234 }
              ]
            }
            """;

        (RerankResponse response, RecordedRequest request) = await RoundTripAsync(RerankApiDialect.Jina, Answer, o => o.MaxTokensPerDocument = 512);

        Assert.That(request.Path, Is.EqualTo("/v1/rerank"));
        Assert.That(request.Body, Is.EqualTo($$"""{"model":"jina-reranker-v2-base-multilingual","query":"{{Query}}","documents":{{TextsJson}},"top_n":2,"return_documents":false}"""),
            "max_tokens_per_doc is Cohere's alone");
        Assert.That(response.Results.Select(r => (r.Index, r.Score)), Is.EqualTo(new[] { (1, 0.8783142566680908), (0, 0.1234) }));
        Assert.That(response.ModelId, Is.EqualTo("jina-reranker-v2-base-multilingual"));
        Assert.That(response.Usage!.TotalTokenCount, Is.EqualTo(815));
        Assert.That(response.Usage.InputTokenCount, Is.EqualTo(815));
        Assert.That(response.Usage.SearchUnits, Is.Null);
    }

    [Test]
    public async Task Voyage_sends_top_k_and_reads_data_and_usage()
    {
        const string Answer = """
            {
              "object": "list",
              "data": [
                { "relevance_score": 0.4375, "index": 1 },
                { "relevance_score": 0.421875, "index": 0 }
              ],
              "model": "rerank-2.5",
              "usage": { "total_tokens": 26 }
            }
            """;

        (RerankResponse response, RecordedRequest request) = await RoundTripAsync(RerankApiDialect.Voyage, Answer);

        Assert.That(request.Path, Is.EqualTo("/v1/rerank"));
        Assert.That(request.Body, Is.EqualTo($$"""{"query":"{{Query}}","documents":{{TextsJson}},"model":"rerank-2.5","top_k":2}"""));
        Assert.That(response.Results.Select(r => (r.Index, r.Score)), Is.EqualTo(new[] { (1, 0.4375), (0, 0.421875) }));
        Assert.That(response.ModelId, Is.EqualTo("rerank-2.5"));
        Assert.That(response.Usage!.TotalTokenCount, Is.EqualTo(26));
    }

    [Test]
    public async Task Tei_sends_query_texts_truncate_raw_scores_and_applies_TopN_itself()
    {
        const string Answer = """[{"index":1,"score":0.9976},{"index":0,"score":0.0123},{"index":2,"score":0.0009}]""";

        (RerankResponse response, RecordedRequest request) = await RoundTripAsync(
            RerankApiDialect.TextEmbeddingsInference, Answer, headers: r => r.Headers["x-compute-tokens"] = "57");

        Assert.That(request.Path, Is.EqualTo("/rerank"));
        Assert.That(request.Body, Is.EqualTo($$"""{"query":"{{Query}}","texts":{{TextsJson}},"truncate":true,"raw_scores":false}"""),
            "TEI has no top_n and serves one model");
        Assert.That(request.Authorization, Is.EqualTo("Bearer " + TestSetup.CanaryKey), "a key, when set, is sent to self-hosted servers too");
        Assert.That(response.Results.Select(r => (r.Index, r.Score)), Is.EqualTo(new[] { (1, 0.9976), (0, 0.0123) }));
        Assert.That(response.ModelId, Is.Null);
        Assert.That(response.Usage!.InputTokenCount, Is.EqualTo(57));
    }

    [Test]
    public async Task Infinity_sends_top_n_return_documents_raw_scores_and_reads_results_and_usage()
    {
        const string Answer = """
            {
              "object": "rerank",
              "results": [
                { "relevance_score": 0.99, "index": 1, "document": null },
                { "relevance_score": 0.02, "index": 0, "document": null }
              ],
              "model": "mixedbread-ai/mxbai-rerank-xsmall-v1",
              "usage": { "prompt_tokens": 60, "total_tokens": 60 },
              "id": "infinity-5d1e3c2a-0000-4000-8000-000000000000",
              "created": 1733000000
            }
            """;

        (RerankResponse response, RecordedRequest request) = await RoundTripAsync(RerankApiDialect.Infinity, Answer);

        Assert.That(request.Path, Is.EqualTo("/rerank"));
        Assert.That(request.Body, Is.EqualTo($$"""{"query":"{{Query}}","documents":{{TextsJson}},"top_n":2,"return_documents":false,"raw_scores":false}"""),
            "no model is named unless one is configured: the server uses the one it serves");
        Assert.That(response.Results.Select(r => (r.Index, r.Score)), Is.EqualTo(new[] { (1, 0.99), (0, 0.02) }));
        Assert.That(response.ModelId, Is.EqualTo("mixedbread-ai/mxbai-rerank-xsmall-v1"));
        Assert.That(response.ResponseId, Is.EqualTo("infinity-5d1e3c2a-0000-4000-8000-000000000000"));
        Assert.That(response.Usage!.InputTokenCount, Is.EqualTo(60));
        Assert.That(response.Usage.TotalTokenCount, Is.EqualTo(60));
    }

    [Test]
    public async Task Vllm_sends_top_n_and_reads_usage_instead_of_meta()
    {
        const string Answer = """
            {
              "id": "rerank-9f1c0e6a",
              "model": "BAAI/bge-reranker-base",
              "usage": { "total_tokens": 53 },
              "results": [
                { "index": 1, "document": { "text": "Washington, D.C. is the capital of the United States." }, "relevance_score": 0.99 },
                { "index": 0, "document": { "text": "Carson City is the capital city of Nevada." }, "relevance_score": 0.05 }
              ]
            }
            """;

        (RerankResponse response, RecordedRequest request) = await RoundTripAsync(RerankApiDialect.Vllm, Answer, o => o.ModelId = "BAAI/bge-reranker-base");

        Assert.That(request.Path, Is.EqualTo("/v2/rerank"));
        Assert.That(request.Body, Is.EqualTo($$"""{"model":"BAAI/bge-reranker-base","query":"{{Query}}","documents":{{TextsJson}},"top_n":2}"""));
        Assert.That(response.Results.Select(r => (r.Index, r.Score)), Is.EqualTo(new[] { (1, 0.99), (0, 0.05) }));
        Assert.That(response.ResponseId, Is.EqualTo("rerank-9f1c0e6a"));
        Assert.That(response.Usage!.TotalTokenCount, Is.EqualTo(53));
        Assert.That(response.Usage.InputTokenCount, Is.Null);
    }

    [Test]
    public async Task Text_is_escaped_as_JSON_requires_and_no_more()
    {
        await using RerankTestServer server = await RerankTestServer.StartAsync(RerankApiDialect.Cohere);
        server.Enqueue(200, """{"id":"x","results":[{"index":0,"relevance_score":0.5}]}""");
        using var http = new HttpClient();
        using var reranker = new CohereReranker(http, TestSetup.Options(server));

        await reranker.RerankAsync("say \"hi\"\n\tback\\slash", TestSetup.Documents("café 日本 <b>&amp;</b> \u0001"));

        server.Requests.TryPeek(out RecordedRequest? request);
        Assert.That(request!.Body, Is.EqualTo("""{"model":"rerank-v3.5","query":"say \"hi\"\n\tback\\slash","documents":["café 日本 <b>&amp;</b> \u0001"]}"""));
    }

    [Test]
    public async Task A_lone_surrogate_and_a_megabyte_document_are_sent_as_valid_JSON()
    {
        await using RerankTestServer server = await RerankTestServer.StartAsync(RerankApiDialect.Cohere);
        using var http = new HttpClient();
        using var reranker = new CohereReranker(http, TestSetup.Options(server));
        string huge = string.Concat(Enumerable.Repeat("capital city ", 90_000));

        RerankResponse response = await reranker.RerankAsync("capital", TestSetup.Documents("broken \ud800 pair", huge));

        server.Requests.TryPeek(out RecordedRequest? request);
        JsonElement documents = JsonDocument.Parse(request!.Body).RootElement.GetProperty("documents");
        // UTF-8 cannot carry a lone surrogate: it becomes U+FFFD, and the request stays valid JSON.
        Assert.That(documents[0].GetString(), Is.EqualTo("broken \uFFFD pair"));
        Assert.That(documents[1].GetString(), Is.EqualTo(huge));
        Assert.That(response.Results.Select(r => r.Index), Is.EqualTo(new[] { 1, 0 }));
    }

    [Test]
    public async Task Per_call_model_and_max_tokens_override_the_options()
    {
        await using RerankTestServer server = await RerankTestServer.StartAsync(RerankApiDialect.Cohere);
        using var http = new HttpClient();
        using var reranker = new CohereReranker(http, TestSetup.Options(server, o => o.MaxTokensPerDocument = 4096));

        RerankResponse response = await reranker.RerankAsync(Query, TestSetup.Documents(Texts), new RerankOptions { ModelId = "rerank-english-v3.0", MaxTokensPerDocument = 128 });

        server.Requests.TryPeek(out RecordedRequest? request);
        Assert.That(request!.Body, Is.EqualTo($$"""{"model":"rerank-english-v3.0","query":"{{Query}}","documents":{{TextsJson}},"max_tokens_per_doc":128}"""));
        Assert.That(response.ModelId, Is.EqualTo("rerank-english-v3.0"));
    }

    [Test]
    public async Task A_self_hosted_server_without_a_key_gets_no_Authorization_header()
    {
        await using RerankTestServer server = await RerankTestServer.StartAsync(RerankApiDialect.TextEmbeddingsInference);
        using var http = new HttpClient();
        using var reranker = new CohereReranker(http, TestSetup.Options(server, o => o.ApiKey = null));

        await reranker.RerankAsync(Query, TestSetup.Documents(Texts));

        server.Requests.TryPeek(out RecordedRequest? request);
        Assert.That(request!.Authorization, Is.Null);
    }

    [Test]
    public async Task The_servers_order_is_not_trusted_and_ties_keep_input_order()
    {
        // Ascending order, and a tie listed with the later index first.
        const string Answer = """{"id":"x","results":[{"index":0,"relevance_score":0.1},{"index":2,"relevance_score":0.7},{"index":1,"relevance_score":0.7}]}""";

        (RerankResponse response, _) = await RoundTripAsync(RerankApiDialect.Cohere, Answer, options: new RerankOptions());

        Assert.That(response.Results.Select(r => r.Index), Is.EqualTo(new[] { 1, 2, 0 }));
    }

    [Test]
    public async Task ScoreThreshold_is_applied_to_the_servers_scores()
    {
        const string Answer = """{"id":"x","results":[{"index":1,"relevance_score":0.9},{"index":0,"relevance_score":0.4},{"index":2,"relevance_score":0.2}]}""";

        (RerankResponse response, _) = await RoundTripAsync(RerankApiDialect.Cohere, Answer, options: new RerankOptions { ScoreThreshold = 0.3 });

        Assert.That(response.Results.Select(r => r.Index), Is.EqualTo(new[] { 1, 0 }));
    }
}
