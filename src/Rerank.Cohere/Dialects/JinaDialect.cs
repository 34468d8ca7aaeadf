using System.Net.Http.Headers;
using System.Text.Json;

namespace Rerank.Dialects;

/// <summary>
/// Jina AI: <c>POST /v1/rerank</c> with <c>{model, query, documents, top_n?, return_documents: false}</c>, answering
/// <c>{model, usage: {total_tokens}, results: [{index, relevance_score, document?}]}</c>.
/// </summary>
internal sealed class JinaDialect : RerankDialect
{
    public static readonly JinaDialect Instance = new();

    public override RerankApiDialect Kind => RerankApiDialect.Jina;

    public override string Name => "jina";

    public override string DefaultPath => RerankWire.Jina.Path;

    public override Uri? DefaultEndpoint { get; } = new("https://api.jina.ai");

    public override string? DefaultModelId => "jina-reranker-v2-base-multilingual";

    public override string? ApiKeyEnvironmentVariable => "JINA_API_KEY";

    public override int DefaultMaxDocumentsPerRequest => 1000;

    public override DialectResponse ReadResponse(JsonElement root, HttpResponseHeaders headers) => ReadWithUsage(root, "results");

    protected override void WriteFields(Utf8JsonWriter writer, in DialectRequest request)
    {
        WriteCohereFields(writer, request);

        // Jina echoes every document by default; the caller already has them.
        writer.WriteBoolean(RerankWire.Jina.ReturnDocuments, false);
    }
}
