using System.Net.Http.Headers;
using System.Text.Json;

namespace Rerank.Dialects;

/// <summary>
/// Voyage AI: <c>POST /v1/rerank</c> with <c>{query, documents, model, top_k?}</c>, answering
/// <c>{object: "list", data: [{index, relevance_score, document?}], model, usage: {total_tokens}}</c>.
/// </summary>
internal sealed class VoyageDialect : RerankDialect
{
    public static readonly VoyageDialect Instance = new();

    public override RerankApiDialect Kind => RerankApiDialect.Voyage;

    public override string Name => "voyage";

    public override string DefaultPath => "v1/rerank";

    public override Uri? DefaultEndpoint { get; } = new("https://api.voyageai.com");

    public override string? DefaultModelId => "rerank-2.5";

    public override string? ApiKeyEnvironmentVariable => "VOYAGE_API_KEY";

    public override int DefaultMaxDocumentsPerRequest => 1000;

    public override DialectResponse ReadResponse(JsonElement root, HttpResponseHeaders headers) => ReadWithUsage(root, "data");

    protected override void WriteFields(Utf8JsonWriter writer, in DialectRequest request)
    {
        writer.WriteString("query", request.Query);
        WriteDocuments(writer, "documents", request);
        WriteModel(writer, request);
        if (request.TopN is int topN)
        {
            writer.WriteNumber("top_k", topN);
        }
    }
}
