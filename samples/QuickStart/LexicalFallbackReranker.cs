using System.Text.RegularExpressions;
using Rerank;

namespace QuickStart;

/// <summary>
/// A FALLBACK for this sample only, used when no cross-encoder model is available: Okapi BM25 (k1 = 1.2, b = 0.75)
/// computed over the candidates themselves, with a short English stop-word list. It matches words, not meaning, so it
/// shows the pipeline working but not what a neural reranker can do; its scores are relative to the candidate set and
/// not comparable to a cross-encoder's. The library's own BM25 reranker lives in the Rerank package.
/// </summary>
internal sealed partial class LexicalFallbackReranker : IReranker
{
    public const string ModelId = "lexical-fallback-bm25";
    private const double K1 = 1.2;
    private const double B = 0.75;

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "and", "are", "as", "at", "be", "by", "can", "do", "does", "for", "from", "how", "in", "into", "is", "it",
        "its", "of", "on", "or", "such", "that", "the", "then", "they", "this", "to", "what", "when", "where", "which", "with",
    };

    private int _disposed;

    public Task<RerankResponse> RerankAsync(string query, IEnumerable<RerankDocument> documents, RerankOptions? options = null, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<RerankDocument> list = RerankContract.ValidateArguments(query, documents, options);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (list.Count == 0)
        {
            return Task.FromResult(new RerankResponse([]) { ModelId = ModelId });
        }

        cancellationToken.ThrowIfCancellationRequested();
        string[][] terms = [.. list.Select(d => Terms(d.Text))];
        double averageLength = Math.Max(1, terms.Average(t => t.Length));
        var scores = new double[list.Count];
        foreach (string term in Terms(query).Distinct(StringComparer.Ordinal))
        {
            int documentFrequency = terms.Count(t => t.Contains(term, StringComparer.Ordinal));
            double idf = Math.Log(1 + ((list.Count - documentFrequency + 0.5) / (documentFrequency + 0.5)));
            for (int i = 0; i < terms.Length; i++)
            {
                int frequency = terms[i].Count(t => t == term);
                scores[i] += idf * frequency * (K1 + 1) / (frequency + (K1 * (1 - B + (B * terms[i].Length / averageLength))));
            }
        }

        return Task.FromResult(new RerankResponse(RerankContract.Rank(list, scores, options)) { ModelId = ModelId });
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(RerankerMetadata) ? new RerankerMetadata("lexical-fallback", null, ModelId)
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    public void Dispose() => Interlocked.Exchange(ref _disposed, 1);

    private static string[] Terms(string text) =>
        [.. Word().Matches(text.ToLowerInvariant()).Select(m => m.Value).Where(w => !StopWords.Contains(w))];

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex Word();
}
