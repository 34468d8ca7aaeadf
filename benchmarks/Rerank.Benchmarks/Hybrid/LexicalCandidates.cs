namespace Rerank.Benchmarks.Hybrid;

/// <summary>Deterministic English-like candidates: words drawn from a Zipf-ish vocabulary, 40 to 120 words each.</summary>
internal static class LexicalCandidates
{
    public const string Query = "how do solar panels turn sunlight into electricity";

    public static RerankDocument[] Create(int count)
    {
        string[] vocabulary =
        [
            "the", "of", "and", "a", "to", "in", "is", "energy", "solar", "panels", "sunlight", "electricity", "plants",
            "light", "convert", "cells", "power", "grid", "battery", "storage", "photosynthesis", "chlorophyll", "leaves",
            "market", "stock", "price", "bread", "recipe", "crust", "honey", "bees", "nectar", "turn", "into", "how",
            "efficiency", "silicon", "photovoltaic", "inverter", "roof", "weather", "cloud", "summer", "winter",
        ];
        var random = new Random(42);
        var documents = new RerankDocument[count];
        for (int i = 0; i < count; i++)
        {
            int length = random.Next(40, 121);
            var words = new string[length];
            for (int w = 0; w < length; w++)
            {
                // Squaring a uniform number favours the front of the list, as word frequencies do.
                double u = random.NextDouble();
                words[w] = vocabulary[(int)(u * u * vocabulary.Length)];
            }

            documents[i] = new RerankDocument(string.Join(' ', words) + ".")
            {
                Score = random.NextDouble(),
                Metadata = new Dictionary<string, object?> { ["timestamp"] = DateTimeOffset.UnixEpoch.AddDays(19_000 + random.Next(0, 400)) },
            };
        }

        return documents;
    }
}
