namespace Rerank.Benchmarks.Middleware;

/// <summary>The middleware benchmarks' workload: one query and 50 deterministic passages of about 60 words (~400 characters), a typical RAG candidate list.</summary>
internal static class MiddlewareCandidates
{
    public const string Query = "how do plants turn sunlight into chemical energy";

    private static readonly string[] Words =
    [
        "plants", "sunlight", "energy", "leaves", "chlorophyll", "water", "carbon", "dioxide", "sugar", "glucose", "light",
        "reaction", "cells", "membrane", "electron", "transport", "chain", "oxygen", "photosystem", "stroma", "thylakoid",
        "the", "a", "of", "and", "in", "to", "is", "by", "with", "from", "for", "that", "this", "which", "are",
    ];

    public static RerankDocument[] Create(int count = 50)
    {
        var random = new Random(7);
        var documents = new RerankDocument[count];
        for (int i = 0; i < count; i++)
        {
            string text = string.Join(' ', Enumerable.Range(0, 60).Select(_ => Words[random.Next(Words.Length)]));
            documents[i] = new RerankDocument($"Passage {i}: {text}.") { Id = $"doc-{i}", Score = 1.0 - (i / 100.0) };
        }

        return documents;
    }
}
