using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Rerank.Testing;

namespace Rerank.Cohere.Tests.Server;

/// <summary>
/// The server side of each dialect, written from the providers' documentation independently of the client's code: it checks the
/// request's fields, refuses what the real service refuses (in its own error shape), scores every document with
/// <see cref="TestReranker.Score"/>, honours <c>top_n</c>/<c>top_k</c> and answers in the documented response shape.
/// </summary>
internal static class DialectHandlers
{
    public static (int Status, string Body, Action<HttpResponse>? Headers) Handle(RerankApiDialect dialect, JsonObject request, int maxDocuments)
    {
        string documentsField = dialect == RerankApiDialect.TextEmbeddingsInference ? "texts" : "documents";
        string? topField = dialect switch
        {
            RerankApiDialect.Voyage => "top_k",
            RerankApiDialect.TextEmbeddingsInference => null,
            _ => "top_n",
        };

        if (request["query"] is not JsonValue queryValue || !queryValue.TryGetValue(out string? query))
        {
            return Error(dialect, 422, "query: field required, must be a string");
        }

        if (request[documentsField] is not JsonArray array || array.Any(d => d is not JsonValue v || !v.TryGetValue(out string? _)))
        {
            return Error(dialect, 422, $"{documentsField}: field required, must be a list of strings");
        }

        string[] documents = [.. array.Select(d => d!.GetValue<string>())];
        if (documents.Length == 0)
        {
            return Error(dialect, 400, $"{documentsField}: must contain at least one document");
        }

        if (documents.Length > maxDocuments)
        {
            int status = dialect == RerankApiDialect.TextEmbeddingsInference ? 413 : 400;
            return Error(dialect, status, $"batch size {documents.Length} > maximum allowed batch size {maxDocuments}");
        }

        string? model = request["model"] is JsonValue m && m.TryGetValue(out string? name) ? name : null;
        if (model is null && dialect is RerankApiDialect.Cohere or RerankApiDialect.Voyage)
        {
            return Error(dialect, 400, "model: field required");
        }

        int? top = null;
        if (topField is not null && request[topField] is JsonNode topNode)
        {
            if (topNode is not JsonValue tv || !tv.TryGetValue(out int topValue) || topValue < (dialect == RerankApiDialect.Vllm ? 0 : 1))
            {
                return Error(dialect, 400, $"{topField}: must be a positive integer");
            }

            top = topValue == 0 ? null : topValue;
        }

        if (request["max_tokens_per_doc"] is JsonNode maxTokens && (maxTokens is not JsonValue mv || !mv.TryGetValue(out int maxTokensValue) || maxTokensValue < 1))
        {
            return Error(dialect, 400, "max_tokens_per_doc: must be a positive integer");
        }

        double[] scores = [.. documents.Select(d => TestReranker.Score(query!, d))];

        // Stable: equal scores keep input order, as every real server we know of (they sort stably in Python and Rust).
        int[] order = [.. Enumerable.Range(0, documents.Length).OrderByDescending(i => scores[i])];
        if (top is int k && k < order.Length)
        {
            order = order[..k];
        }

        long tokens = (Words(query!) * documents.Length) + documents.Sum(Words);
        bool returnDocuments = request["return_documents"] is JsonValue rd && rd.TryGetValue(out bool flag) ? flag : dialect == RerankApiDialect.Jina;
        return dialect switch
        {
            RerankApiDialect.Cohere => (200, new JsonObject
            {
                ["id"] = Guid.NewGuid().ToString(),
                ["results"] = Results(order, scores, documents, "relevance_score", withDocument: false),
                ["meta"] = new JsonObject
                {
                    ["api_version"] = new JsonObject { ["version"] = "2", ["is_experimental"] = false },
                    ["billed_units"] = new JsonObject { ["search_units"] = (documents.Length + 99) / 100 },
                },
            }.ToJsonString(), null),
            RerankApiDialect.Jina => (200, new JsonObject
            {
                ["model"] = model ?? "jina-reranker-v2-base-multilingual",
                ["usage"] = new JsonObject { ["total_tokens"] = tokens },
                ["results"] = Results(order, scores, documents, "relevance_score", returnDocuments, documentAsObject: true),
            }.ToJsonString(), null),
            RerankApiDialect.Voyage => (200, new JsonObject
            {
                ["object"] = "list",
                ["data"] = Results(order, scores, documents, "relevance_score", returnDocuments),
                ["model"] = model,
                ["usage"] = new JsonObject { ["total_tokens"] = tokens },
            }.ToJsonString(), null),
            RerankApiDialect.TextEmbeddingsInference => (200,
                Results(order, scores, documents, "score", withDocument: false).ToJsonString(),
                response => response.Headers["x-compute-tokens"] = tokens.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            RerankApiDialect.Infinity => (200, new JsonObject
            {
                ["object"] = "rerank",
                ["results"] = Results(order, scores, documents, "relevance_score", returnDocuments),
                ["model"] = model ?? "mixedbread-ai/mxbai-rerank-xsmall-v1",
                ["usage"] = new JsonObject { ["prompt_tokens"] = tokens, ["total_tokens"] = tokens },
                ["id"] = $"infinity-{Guid.NewGuid()}",
                ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            }.ToJsonString(), null),
            RerankApiDialect.Vllm => (200, new JsonObject
            {
                ["id"] = $"rerank-{Guid.NewGuid():N}",
                ["model"] = model ?? "BAAI/bge-reranker-v2-m3",
                ["usage"] = new JsonObject { ["prompt_tokens"] = tokens, ["total_tokens"] = tokens },
                ["results"] = Results(order, scores, documents, "relevance_score", withDocument: true, documentAsObject: true),
            }.ToJsonString(), null),
            _ => throw new ArgumentOutOfRangeException(nameof(dialect)),
        };
    }

    /// <summary>An error in the dialect's own shape: Cohere <c>{message}</c>, FastAPI <c>{detail}</c>, TEI <c>{error, error_type}</c>, vLLM <c>{object: "error", message}</c>.</summary>
    public static (int, string, Action<HttpResponse>?) Error(RerankApiDialect dialect, int status, string message) => (status, (dialect switch
    {
        RerankApiDialect.Cohere => new JsonObject { ["message"] = message },
        RerankApiDialect.TextEmbeddingsInference => new JsonObject { ["error"] = message, ["error_type"] = "Validation" },
        RerankApiDialect.Vllm => new JsonObject { ["object"] = "error", ["message"] = message, ["type"] = "BadRequestError", ["param"] = null, ["code"] = status },
        RerankApiDialect.Infinity when status == 422 => new JsonObject
        {
            ["detail"] = new JsonArray(new JsonObject { ["loc"] = new JsonArray("body"), ["msg"] = message, ["type"] = "value_error" }),
        },
        _ => new JsonObject { ["detail"] = message },
    }).ToJsonString(), null);

    private static JsonArray Results(int[] order, double[] scores, string[] documents, string scoreName, bool withDocument, bool documentAsObject = false)
    {
        var results = new JsonArray();
        foreach (int i in order)
        {
            var item = new JsonObject { ["index"] = i };
            if (withDocument)
            {
                item["document"] = documentAsObject ? new JsonObject { ["text"] = documents[i] } : JsonValue.Create(documents[i]);
            }

            item[scoreName] = scores[i];
            results.Add(item);
        }

        return results;
    }

    private static int Words(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
}
