using System.Text.Json;
using Microsoft.AspNetCore.Http;
using C = Rerank.RerankWire.Cohere;
using W = Rerank.RerankWire.Jina;

namespace Rerank.AspNetCore;

/// <summary>
/// Jina AI's and vLLM's <c>/v1/rerank</c>: <c>{model, query, documents (strings or {text}), top_n?, return_documents?}</c>
/// answered with <c>{id, model, usage: {total_tokens}, results: [{index, relevance_score, document?: {text}}]}</c>.
/// Errors carry both Jina's <c>detail</c> and vLLM's <c>{object: "error", message, type, code}</c>, so clients of either find theirs.
/// </summary>
internal sealed class JinaWireFormat : RerankWireFormat
{
    public static readonly JinaWireFormat Instance = new();

    public override string Name => "jina";

    public override string DefaultPattern => "/" + W.Path;

    public override RerankWireRequest ReadRequest(JsonElement root, RerankServerOptions options)
    {
        RequireObject(root);
        return new RerankWireRequest
        {
            Model = ReadOptionalString(root, C.Model),
            Query = ReadQuery(root, C.Query, options),
            Documents = ReadDocuments(root, C.Documents, options, allowTextObjects: true),
            TopN = ReadPositiveInt(root, C.TopN),

            // Jina echoes the documents unless told not to.
            ReturnDocuments = ReadBool(root, W.ReturnDocuments, defaultValue: true),
        };
    }

    public override void WriteResponse(Utf8JsonWriter writer, HttpResponse http, RerankWireRequest request, RerankResponse response, string modelName)
    {
        writer.WriteStartObject();
        writer.WriteString(C.Id, response.ResponseId ?? Guid.NewGuid().ToString());
        writer.WriteString(C.Model, modelName);
        writer.WriteStartObject(W.Usage);
        long tokens = TotalTokens(response);
        writer.WriteNumber(W.PromptTokens, tokens);
        writer.WriteNumber(W.TotalTokens, tokens);
        writer.WriteEndObject();
        writer.WriteStartArray(C.Results);
        foreach (RerankResult result in response.Results)
        {
            writer.WriteStartObject();
            writer.WriteNumber(C.Index, result.Index);
            writer.WriteNumber(C.RelevanceScore, result.Score);
            if (request.ReturnDocuments)
            {
                writer.WriteStartObject(W.Document);
                writer.WriteString(W.Text, request.Documents[result.Index]);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public override void WriteError(Utf8JsonWriter writer, RerankRequestException error)
    {
        writer.WriteStartObject();
        writer.WriteString(W.Detail, error.Message);
        writer.WriteString("object", "error");
        writer.WriteString(C.Message, error.Message);
        writer.WriteString("type", error.ErrorType);
        writer.WriteNumber("code", error.StatusCode);
        writer.WriteEndObject();
    }
}
