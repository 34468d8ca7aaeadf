using System.Net.Http.Headers;
using System.Text.Json;

namespace Rerank.Dialects;

/// <summary>
/// Hugging Face text-embeddings-inference: <c>POST /rerank</c> with <c>{query, texts, truncate, raw_scores}</c>, answering a bare
/// array <c>[{index, score}]</c>. TEI serves one model and has no <c>top_n</c>; it reports token counts in the
/// <c>x-compute-tokens</c> header.
/// </summary>
internal sealed class TeiDialect : RerankDialect
{
    public static readonly TeiDialect Instance = new();

    public override RerankApiDialect Kind => RerankApiDialect.TextEmbeddingsInference;

    public override string Name => "tei";

    public override string DefaultPath => RerankWire.Tei.Path;

    // TEI's default --max-client-batch-size: a larger request is refused with 413.
    public override int DefaultMaxDocumentsPerRequest => 32;

    public override bool SupportsTopN => false;

    public override DialectResponse ReadResponse(JsonElement root, HttpResponseHeaders headers) => new()
    {
        Results = ReadResults(root, "the root", RerankWire.Tei.Score),
        Usage = GetHeaderCount(headers, RerankWire.Tei.ComputeTokensHeader) is long tokens ? new RerankUsage { InputTokenCount = tokens } : null,
    };

    protected override void WriteFields(Utf8JsonWriter writer, in DialectRequest request)
    {
        writer.WriteString(RerankWire.Tei.Query, request.Query);
        WriteDocuments(writer, RerankWire.Tei.Texts, request);

        // Truncate like the cloud APIs do instead of failing on a long document; sigmoid scores in [0, 1], as Cohere's.
        writer.WriteBoolean(RerankWire.Tei.Truncate, true);
        writer.WriteBoolean(RerankWire.Tei.RawScores, false);
    }
}
