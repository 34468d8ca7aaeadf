using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rerank.Onnx.Tests.LateInteraction;

/// <summary>The reference of the tiny ColBERT fixture (Fixtures/goldens/tiny-bert-colbert.json), made by tools/make_colbert_fixture.py.</summary>
internal sealed record ColBertGolden(
    [property: JsonPropertyName("query_length")] int QueryLength,
    [property: JsonPropertyName("document_length")] int DocumentLength,
    [property: JsonPropertyName("dimension")] int Dimension,
    [property: JsonPropertyName("skiplist")] int[] Skiplist,
    [property: JsonPropertyName("query_prefix_id")] int QueryPrefixId,
    [property: JsonPropertyName("document_prefix_id")] int DocumentPrefixId,
    [property: JsonPropertyName("queries")] IReadOnlyList<ColBertGoldenQuery> Queries,
    [property: JsonPropertyName("documents")] IReadOnlyList<ColBertGoldenDocument> Documents,
    [property: JsonPropertyName("scores")] double[][] Scores,
    [property: JsonPropertyName("scores_attending")] double[][] ScoresAttending)
{
    public const string Model = "tiny-bert-colbert";

    public static string Directory => Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", Model);

    public static ColBertGolden Load()
    {
        using FileStream stream = File.OpenRead(Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "goldens", Model + ".json"));
        return JsonSerializer.Deserialize<ColBertGolden>(stream)!;
    }

    public string[] DocumentTexts => [.. Documents.Select(d => d.Text)];
}

internal sealed record ColBertGoldenQuery(
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("input_ids")] int[] InputIds,
    [property: JsonPropertyName("attention_mask")] int[] AttentionMask,
    [property: JsonPropertyName("attention_mask_attending")] int[] AttentionMaskAttending,
    [property: JsonPropertyName("tokens_dropped")] int TokensDropped);

internal sealed record ColBertGoldenDocument(
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("input_ids")] int[] InputIds,
    [property: JsonPropertyName("attention_mask")] int[] AttentionMask,
    [property: JsonPropertyName("skiplist_mask")] int[] SkiplistMask,
    [property: JsonPropertyName("tokens_dropped")] int TokensDropped,
    [property: JsonPropertyName("embeddings")] float[][] Embeddings);
