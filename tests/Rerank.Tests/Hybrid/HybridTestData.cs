namespace Rerank.Tests.Hybrid;

/// <summary>Small helpers that give documents ids and custom signals fixed values per document.</summary>
internal static class HybridTestData
{
    /// <summary>Documents "d0", "d1", ... with distinct texts and, where given, first-stage scores.</summary>
    public static List<RerankDocument> Documents(int count, params double?[] firstStageScores) =>
        [.. Enumerable.Range(0, count).Select(i => new RerankDocument($"document {i}") { Id = $"d{i}", Score = i < firstStageScores.Length ? firstStageScores[i] : null })];

    /// <summary>A per-document signal that returns <paramref name="values"/>[i] for document "di".</summary>
    public static Func<string, RerankDocument, double> Values(params double[] values) =>
        (_, document) => values[int.Parse(document.Id!.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture)];

    /// <summary>Results ordered by input index.</summary>
    public static RerankResult[] ByIndex(this RerankResponse response) => [.. response.Results.OrderBy(r => r.Index)];

    /// <summary>The component of the named signal.</summary>
    public static RerankScoreComponent Component(this RerankResult result, string name) => result.ScoreComponents!.Single(c => c.Name == name);
}
