using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rerank.Onnx.Tests.Goldens;

/// <summary>The golden pairs of a fixture model (Fixtures/goldens/&lt;model&gt;.json), made by tools/make_goldens.py from independent references.</summary>
internal sealed record GoldenFile(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("activation")] string Activation,
    [property: JsonPropertyName("pairs")] IReadOnlyList<GoldenPair> Pairs)
{
    public static readonly string[] Models = ["tiny-bert-cross-encoder", "tiny-xlmr-cross-encoder"];

    public static string FixturesRoot => Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures");

    public static string ModelDirectory(string model) => Path.Combine(FixturesRoot, model);

    public static GoldenFile Load(string model)
    {
        using FileStream stream = File.OpenRead(Path.Combine(FixturesRoot, "goldens", model + ".json"));
        return JsonSerializer.Deserialize<GoldenFile>(stream)!;
    }
}

/// <summary>One golden pair: the texts, the budget, the reference ids, and the reference logits and score.</summary>
internal sealed record GoldenPair(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("query")] string Query,
    [property: JsonPropertyName("document")] string Document,
    [property: JsonPropertyName("max_length")] int MaxLength,
    [property: JsonPropertyName("input_ids")] int[] InputIds,
    [property: JsonPropertyName("token_type_ids")] int[] TokenTypeIds,
    [property: JsonPropertyName("query_tokens_dropped")] int QueryTokensDropped,
    [property: JsonPropertyName("document_tokens_dropped")] int DocumentTokensDropped,
    [property: JsonPropertyName("logits")] float[] Logits,
    [property: JsonPropertyName("score")] double Score);
