using System.Text.Json;
using System.Text.Json.Serialization;
using Rerank.Onnx.Tests.Goldens;

namespace Rerank.Onnx.Tests.Embeddings;

/// <summary>The goldens of an embedding fixture (Fixtures/goldens/&lt;model&gt;.json), made by tools/make_embedding_goldens.py with transformers.js.</summary>
internal sealed record EmbeddingGoldenFile(
    [property: JsonPropertyName("reference")] string Reference,
    [property: JsonPropertyName("goldens")] IReadOnlyList<EmbeddingGolden> Goldens,
    [property: JsonPropertyName("pooling_goldens")] IReadOnlyList<PoolingGolden>? PoolingGoldens,
    [property: JsonPropertyName("quantized_goldens")] IReadOnlyList<EmbeddingGolden>? QuantizedGoldens)
{
    public const string Bert = "tiny-bert-embedding";
    public const string Xlmr = "tiny-xlmr-embedding";

    public static string ModelDirectory(string model) => GoldenFile.ModelDirectory(model);

    public static EmbeddingGoldenFile Load(string model)
    {
        using FileStream stream = File.OpenRead(Path.Combine(GoldenFile.FixturesRoot, "goldens", model + ".json"));
        return JsonSerializer.Deserialize<EmbeddingGoldenFile>(stream)!;
    }
}

/// <summary>One text, the prompt it was embedded with, the reference ids and embedding.</summary>
internal sealed record EmbeddingGolden(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("prompt_name")] string? PromptName,
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("input_ids")] int[] InputIds,
    [property: JsonPropertyName("embedding")] float[] Embedding)
{
    public override string ToString() => Name;
}

/// <summary>One text's embedding under each pooling mode (not normalised), keyed by sentence-transformers' mode name.</summary>
internal sealed record PoolingGolden(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("embeddings")] IReadOnlyDictionary<string, float[]> Embeddings);
