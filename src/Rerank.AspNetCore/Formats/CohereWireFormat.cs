using System.Text.Json;
using Microsoft.AspNetCore.Http;
using W = Rerank.RerankWire.Cohere;

namespace Rerank.AspNetCore;

/// <summary>
/// Cohere Rerank v2: <c>{model, query, documents, top_n?, max_tokens_per_doc?}</c> answered with
/// <c>{id, results: [{index, relevance_score}], meta: {api_version: {version: "2"}, billed_units: {search_units}}}</c>;
/// errors are <c>{id, message}</c>.
/// </summary>
internal sealed class CohereWireFormat : RerankWireFormat
{
    public static readonly CohereWireFormat Instance = new();

    public override string Name => "cohere";

    public override string DefaultPattern => "/" + W.Path;

    public override RerankWireRequest ReadRequest(JsonElement root, RerankServerOptions options)
    {
        RequireObject(root);
        return new RerankWireRequest
        {
            Model = ReadOptionalString(root, W.Model),
            Query = ReadQuery(root, W.Query, options),
            Documents = ReadDocuments(root, W.Documents, options, allowTextObjects: false),
            TopN = ReadPositiveInt(root, W.TopN),
            MaxTokensPerDocument = ReadPositiveInt(root, W.MaxTokensPerDocument),
        };
    }

    public override void WriteResponse(Utf8JsonWriter writer, HttpResponse http, RerankWireRequest request, RerankResponse response, string modelName)
    {
        writer.WriteStartObject();
        writer.WriteString(W.Id, response.ResponseId ?? Guid.NewGuid().ToString());
        writer.WriteStartArray(W.Results);
        foreach (RerankResult result in response.Results)
        {
            writer.WriteStartObject();
            writer.WriteNumber(W.Index, result.Index);
            writer.WriteNumber(W.RelevanceScore, result.Score);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartObject(W.Meta);
        writer.WriteStartObject(W.ApiVersion);
        writer.WriteString(W.Version, "2");
        writer.WriteEndObject();
        writer.WriteStartObject(W.BilledUnits);

        // Cohere bills one search unit per query and each started hundred documents.
        writer.WriteNumber(W.SearchUnits, (request.Documents.Length + 99) / 100);
        writer.WriteEndObject();
        if (response.Usage?.InputTokenCount is long input)
        {
            writer.WriteStartObject(W.Tokens);
            writer.WriteNumber(W.InputTokens, input);
            writer.WriteNumber(W.OutputTokens, response.Usage.OutputTokenCount ?? 0);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    public override void WriteError(Utf8JsonWriter writer, RerankRequestException error)
    {
        writer.WriteStartObject();
        writer.WriteString(W.Id, Guid.NewGuid().ToString());
        writer.WriteString(W.Message, error.Message);
        writer.WriteEndObject();
    }
}
