using System.Net.Http.Headers;
using System.Text.Json;

namespace Rerank.Dialects;

/// <summary>
/// vLLM's Cohere-compatible endpoint: <c>POST /v2/rerank</c> with <c>{model?, query, documents, top_n?}</c>, answering
/// <c>{id, model, usage: {prompt_tokens?, total_tokens}, results: [{index, document, relevance_score}]}</c> (usage where Cohere has meta).
/// </summary>
internal sealed class VllmDialect : RerankDialect
{
    public static readonly VllmDialect Instance = new();

    public override RerankApiDialect Kind => RerankApiDialect.Vllm;

    public override string Name => "vllm";

    public override string DefaultPath => "v2/rerank";

    public override int DefaultMaxDocumentsPerRequest => 1000;

    public override DialectResponse ReadResponse(JsonElement root, HttpResponseHeaders headers) => ReadWithUsage(root, "results");

    protected override void WriteFields(Utf8JsonWriter writer, in DialectRequest request) => WriteCohereFields(writer, request);
}
