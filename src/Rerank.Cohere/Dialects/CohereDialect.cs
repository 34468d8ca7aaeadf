using System.Net.Http.Headers;
using System.Text.Json;

namespace Rerank.Dialects;

/// <summary>
/// Cohere Rerank v2: <c>POST /v2/rerank</c> with <c>{model, query, documents, top_n?, max_tokens_per_doc?}</c>, answering
/// <c>{id, results: [{index, relevance_score}], meta: {api_version, billed_units, tokens, warnings}}</c>.
/// </summary>
internal sealed class CohereDialect : RerankDialect
{
    public static readonly CohereDialect Instance = new();

    public override RerankApiDialect Kind => RerankApiDialect.Cohere;

    public override string Name => "cohere";

    public override string DefaultPath => RerankWire.Cohere.Path;

    public override Uri? DefaultEndpoint { get; } = new("https://api.cohere.com");

    public override string? DefaultModelId => "rerank-v3.5";

    public override string? ApiKeyEnvironmentVariable => "CO_API_KEY";

    public override int DefaultMaxDocumentsPerRequest => 1000;

    public override DialectResponse ReadResponse(JsonElement root, HttpResponseHeaders headers)
    {
        (int, double)[] results = ReadResults(Required(root, RerankWire.Cohere.Results), RerankWire.Cohere.Results, RerankWire.Cohere.RelevanceScore);
        RerankUsage? usage = null;
        List<string>? warnings = null;
        string? apiVersion = null;
        if (TryGetObject(root, RerankWire.Cohere.Meta, out JsonElement meta))
        {
            usage = ReadMetaUsage(meta);
            apiVersion = TryGetObject(meta, "api_version", out JsonElement version) ? GetString(version, "version") : null;
            if (meta.TryGetProperty("warnings", out JsonElement array) && array.ValueKind == JsonValueKind.Array)
            {
                warnings = [.. array.EnumerateArray().Where(w => w.ValueKind == JsonValueKind.String).Select(w => w.GetString()!)];
            }
        }

        return new DialectResponse
        {
            Results = results,
            ResponseId = GetString(root, "id"),
            Usage = usage,
            Warnings = warnings is { Count: > 0 } ? warnings : null,
            ApiVersion = apiVersion,
        };
    }

    protected override void WriteFields(Utf8JsonWriter writer, in DialectRequest request)
    {
        WriteCohereFields(writer, request);

        if (request.MaxTokensPerDocument is int maxTokens)
        {
            writer.WriteNumber(RerankWire.Cohere.MaxTokensPerDocument, maxTokens);
        }
    }

    private static RerankUsage? ReadMetaUsage(JsonElement meta)
    {
        bool hasBilled = TryGetObject(meta, RerankWire.Cohere.BilledUnits, out JsonElement billed);
        bool hasTokens = TryGetObject(meta, "tokens", out JsonElement tokens);
        if (!hasBilled && !hasTokens)
        {
            return null;
        }

        var usage = new RerankUsage
        {
            SearchUnits = GetCount(billed, RerankWire.Cohere.SearchUnits),
            InputTokenCount = GetCount(tokens, "input_tokens") ?? GetCount(billed, "input_tokens"),
            OutputTokenCount = GetCount(tokens, "output_tokens") ?? GetCount(billed, "output_tokens"),
        };

        if (hasBilled)
        {
            // Whatever else Cohere bills (images, classifications, ...) is kept by name rather than lost.
            foreach (JsonProperty property in billed.EnumerateObject())
            {
                if (property.Name != "search_units" && ToCount(property.Value) is long count)
                {
                    usage.AdditionalCounts ??= new Dictionary<string, long>(StringComparer.Ordinal);
                    usage.AdditionalCounts["billed_units." + property.Name] = count;
                }
            }
        }

        return usage;
    }
}
