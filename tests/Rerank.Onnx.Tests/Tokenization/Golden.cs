using System.Text.Json;

namespace Rerank.Onnx.Tests.Tokenization;

/// <summary>The golden pairs in Fixtures/goldens, made by tools/make_goldens.py from independent references.</summary>
internal sealed record GoldenPair(
    string Name, string Query, string Document, int MaxLength, int[] InputIds, int[] TokenTypeIds,
    int QueryTokensDropped, int DocumentTokensDropped, double[] Logits, double Score)
{
    public override string ToString() => Name;
}

internal static class Golden
{
    public const string Bert = "tiny-bert-cross-encoder";
    public const string XlmRoberta = "tiny-xlmr-cross-encoder";

    public static string FixturesDirectory => Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures");

    public static string ModelDirectory(string model) => Path.Combine(FixturesDirectory, model);

    public static IReadOnlyList<GoldenPair> Load(string model)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(FixturesDirectory, "goldens", model + ".json")));
        var pairs = new List<GoldenPair>();
        foreach (JsonElement p in document.RootElement.GetProperty("pairs").EnumerateArray())
        {
            pairs.Add(new GoldenPair(
                p.GetProperty("name").GetString()!, p.GetProperty("query").GetString()!, p.GetProperty("document").GetString()!,
                p.GetProperty("max_length").GetInt32(),
                [.. p.GetProperty("input_ids").EnumerateArray().Select(e => e.GetInt32())],
                [.. p.GetProperty("token_type_ids").EnumerateArray().Select(e => e.GetInt32())],
                p.GetProperty("query_tokens_dropped").GetInt32(), p.GetProperty("document_tokens_dropped").GetInt32(),
                [.. p.GetProperty("logits").EnumerateArray().Select(e => e.GetDouble())],
                p.GetProperty("score").GetDouble()));
        }

        return pairs;
    }
}
