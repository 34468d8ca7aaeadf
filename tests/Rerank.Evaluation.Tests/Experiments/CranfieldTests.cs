namespace Rerank.Evaluation.Tests.Experiments;

/// <summary>The real Cranfield collection: the built-in BM25 first stage gives the numbers trec_eval gives its run file.</summary>
public class CranfieldTests
{
    [Test]
    public void Bm25_first_stage_on_cranfield_matches_the_numbers_trec_eval_computed_for_its_run()
    {
        string folder = TestFiles.RequireCranfield();
        ExperimentData data = ExperimentData.FromBeir(new BeirDataset(folder), "test", 100);

        EvaluationResult result = RunEvaluator.Evaluate(data.Qrels, data.FirstStage, Metric.ParseList("ndcg@10,mrr,map,recall@100,p@5,map@10"));

        // trec_eval 9.0.8 on the run file written by `rerank eval --runs-dir` (docs/evaluation.md): 225 queries.
        Assert.Multiple(() =>
        {
            Assert.That(result.QueryCount, Is.EqualTo(225));
            Assert.That(result.Mean["ndcg@10"], Is.EqualTo(0.3166).Within(0.00005));
            Assert.That(result.Mean["mrr"], Is.EqualTo(0.4917).Within(0.00005));
            Assert.That(result.Mean["map"], Is.EqualTo(0.2463).Within(0.00005));
            Assert.That(result.Mean["recall@100"], Is.EqualTo(0.6769).Within(0.00005));
            Assert.That(result.Mean["p@5"], Is.EqualTo(0.2853).Within(0.00005));
            Assert.That(result.Mean["map@10"], Is.EqualTo(0.1998).Within(0.00005));
        });
    }

    [Test]
    public void Bm25_reranking_with_the_first_stages_corpus_statistics_reproduces_the_first_stage_ranking()
    {
        string folder = TestFiles.RequireCranfield();
        ExperimentData data = ExperimentData.FromBeir(new BeirDataset(folder), "test", 100);
        using var reranker = new Bm25Reranker(new Bm25Options { K1 = 0.9, B = 0.4, CorpusStatistics = data.Bm25Index!.Statistics });

        foreach (string query in data.Qrels.Queries.Keys.Take(25))
        {
            RunEntry[] candidates = data.FirstStage.GetRanking(query);
            RerankResponse response = reranker.RerankAsync(data.Queries[query], candidates.Select(c => new RerankDocument(data.Documents[c.DocumentId]) { Id = c.DocumentId })).Result;
            for (int i = 0; i < candidates.Length; i++)
            {
                Assert.That(response.Results.Single(r => r.Document.Id == candidates[i].DocumentId).Score, Is.EqualTo(candidates[i].Score).Within(1e-9), $"query {query}");
            }
        }
    }
}
