using System.Net.Http.Headers;
using System.Text.Json;

namespace Rerank.Dialects;

/// <summary>
/// Infinity (michaelfeil/infinity): <c>POST /rerank</c> with <c>{model?, query, documents, top_n?, return_documents: false,
/// raw_scores: false}</c>, answering <c>{object: "rerank", results: [{relevance_score, index, document?}], model,
/// usage: {prompt_tokens, total_tokens}, id, created}</c>.
/// </summary>
internal sealed class InfinityDialect : RerankDialect
{
    public static readonly InfinityDialect Instance = new();

    public override RerankApiDialect Kind => RerankApiDialect.Infinity;

    public override string Name => "infinity";

    public override string DefaultPath => "rerank";

    // Infinity refuses more than 2,048 items per request.
    public override int DefaultMaxDocumentsPerRequest => 2048;

    public override DialectResponse ReadResponse(JsonElement root, HttpResponseHeaders headers) => ReadWithUsage(root, "results");

    protected override void WriteFields(Utf8JsonWriter writer, in DialectRequest request)
    {
        WriteCohereFields(writer, request);

        writer.WriteBoolean("return_documents", false);
        writer.WriteBoolean("raw_scores", false);
    }
}
