using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using W = Rerank.RerankWire.Tei;

namespace Rerank.AspNetCore;

/// <summary>
/// Hugging Face text-embeddings-inference: <c>{query, texts, truncate?, raw_scores?, return_text?}</c> answered with a bare
/// array <c>[{index, score, text?}]</c> from the best score down, and the token count in <c>x-compute-tokens</c>; errors are
/// <c>{error, error_type}</c>. TEI serves one model, so the request names none and the default reranker answers.
/// </summary>
/// <remarks>
/// <c>raw_scores</c> is accepted and ignored: the reranker's scores are sent as they are (a local cross-encoder pipeline
/// decides itself whether it applies the sigmoid). <c>truncate</c> is accepted too: the reranker truncates as configured.
/// </remarks>
internal sealed class TeiWireFormat : RerankWireFormat
{
    public static readonly TeiWireFormat Instance = new();

    public override string Name => "tei";

    public override string DefaultPattern => "/" + W.Path;

    public override RerankWireRequest ReadRequest(JsonElement root, RerankServerOptions options)
    {
        RequireObject(root);

        // Checked for type only, so a client sending garbage hears about it.
        _ = ReadBool(root, W.Truncate, defaultValue: false);
        _ = ReadBool(root, W.RawScores, defaultValue: false);
        return new RerankWireRequest
        {
            Query = ReadQuery(root, W.Query, options),
            Documents = ReadDocuments(root, W.Texts, options, allowTextObjects: false),
            ReturnDocuments = ReadBool(root, W.ReturnText, defaultValue: false),
        };
    }

    public override void WriteResponse(Utf8JsonWriter writer, HttpResponse http, RerankWireRequest request, RerankResponse response, string modelName)
    {
        if (response.Usage?.InputTokenCount is long tokens)
        {
            http.Headers[W.ComputeTokensHeader] = tokens.ToString(CultureInfo.InvariantCulture);
        }

        writer.WriteStartArray();
        foreach (RerankResult result in response.Results)
        {
            writer.WriteStartObject();
            writer.WriteNumber(W.Index, result.Index);
            writer.WriteNumber(W.Score, result.Score);
            if (request.ReturnDocuments)
            {
                writer.WriteString(W.Text, request.Documents[result.Index]);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    public override void WriteError(Utf8JsonWriter writer, RerankRequestException error)
    {
        writer.WriteStartObject();
        writer.WriteString(W.Error, error.Message);
        writer.WriteString(W.ErrorType, error.ErrorType);
        writer.WriteEndObject();
    }
}
