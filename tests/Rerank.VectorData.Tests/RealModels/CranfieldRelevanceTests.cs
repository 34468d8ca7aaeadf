using System.Globalization;
using Microsoft.Extensions.AI;
using Rerank.Onnx;
using Rerank.Testing.RealModels;

namespace Rerank.VectorData.Tests.RealModels;

/// <summary>
/// Real relevance on the Cranfield collection with the real all-MiniLM-L6-v2: nDCG@10 (trec_eval's ndcg_cut.10) of BM25
/// top-100 alone, of BM25 top-100 reranked by <see cref="EmbeddingReranker"/>, and of a hybrid first stage (reciprocal
/// rank fusion of BM25 and exact vector search, top 100) alone and reranked. The figures are printed and recorded in
/// docs/performance.md; the assertions pin what the model really does on this collection.
/// </summary>
[Category("RealModel")]
public sealed class CranfieldRelevanceTests
{
    [Test]
    public async Task Ndcg_at_10_of_bm25_and_hybrid_first_stages_alone_and_reranked_by_MiniLM_embeddings()
    {
        Cranfield cranfield = Cranfield.Load();
        string[] texts = [.. cranfield.Documents.Select(d => d.Text)];
        string[] ids = [.. cranfield.Documents.Select(d => d.Id)];
        using var bm25 = new Bm25Reranker(new Bm25Options { CorpusStatistics = Bm25CorpusStatistics.Create(texts) });
        using var generator = new OnnxEmbeddingGenerator(AllMiniLmL6V2.GetModelDirectory());
        using var reranker = new EmbeddingReranker(generator);

        // Corpus embeddings for the exact vector search of the hybrid first stage (the reranker's cache embeds them again once).
        float[][] corpus = [.. (await generator.GenerateAsync(texts)).Select(e => e.Vector.ToArray())];
        double bm25Sum = 0, rerankedSum = 0, hybridSum = 0, hybridRerankedSum = 0;
        int improved = 0, worsened = 0;
        foreach ((string queryId, string query) in cranfield.Queries)
        {
            RerankResponse lexical = await bm25.RerankAsync(query, texts.Select(t => new RerankDocument(t)), new RerankOptions { TopN = 100 });
            int[] bm25Top = [.. lexical.Results.Select(r => r.Index)];

            float[] q = (await generator.GenerateAsync([query]))[0].Vector.ToArray();
            int[] vectorTop = [.. Enumerable.Range(0, corpus.Length).OrderByDescending(i => Dot(q, corpus[i])).Take(100)];
            int[] hybridTop = [.. ReciprocalRankFusion(bm25Top, vectorTop).Take(100)];

            double first = cranfield.NdcgAt10(queryId, [.. bm25Top.Select(i => ids[i])]);
            double second = cranfield.NdcgAt10(queryId, await RerankAsync(reranker, query, bm25Top, texts, ids));
            bm25Sum += first;
            rerankedSum += second;
            improved += second > first ? 1 : 0;
            worsened += second < first ? 1 : 0;
            hybridSum += cranfield.NdcgAt10(queryId, [.. hybridTop.Select(i => ids[i])]);
            hybridRerankedSum += cranfield.NdcgAt10(queryId, await RerankAsync(reranker, query, hybridTop, texts, ids));
        }

        int n = cranfield.Queries.Count;
        double bm25Ndcg = bm25Sum / n, reranked = rerankedSum / n, hybrid = hybridSum / n, hybridReranked = hybridRerankedSum / n;
        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Cranfield, {n} queries, nDCG@10: BM25 top-100 {bm25Ndcg:F4}; BM25 top-100 reranked by all-MiniLM-L6-v2 embeddings {reranked:F4} ({improved} queries better, {worsened} worse); hybrid (RRF of BM25 and vector, top 100) {hybrid:F4}; hybrid reranked {hybridReranked:F4}"));

        Assert.That(bm25Ndcg, Is.InRange(0.25, 0.50), "BM25 on Cranfield");
        Assert.That(reranked, Is.InRange(0.25, 0.50), "a general-purpose bi-encoder on aeronautics abstracts");
    }

    private static async Task<List<string>> RerankAsync(EmbeddingReranker reranker, string query, int[] candidates, string[] texts, string[] ids)
    {
        RerankResponse response = await reranker.RerankAsync(query, candidates.Select(i => new RerankDocument(texts[i])));
        return [.. response.Results.Select(r => ids[candidates[r.Index]])];
    }

    private static IEnumerable<int> ReciprocalRankFusion(int[] a, int[] b)
    {
        var scores = new Dictionary<int, double>();
        foreach (int[] list in new[] { a, b })
        {
            for (int rank = 0; rank < list.Length; rank++)
            {
                scores[list[rank]] = scores.GetValueOrDefault(list[rank]) + (1.0 / (60 + rank + 1));
            }
        }

        return scores.OrderByDescending(p => p.Value).ThenBy(p => p.Key).Select(p => p.Key);
    }

    private static double Dot(float[] a, float[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += (double)a[i] * b[i];
        }

        return sum;
    }
}
