namespace Rerank.Evaluation.Tests.Lexical;

public class Bm25IndexTests
{
    private static readonly KeyValuePair<string, string>[] Corpus =
    [
        KeyValuePair.Create("a", "solar power from the sun"),
        KeyValuePair.Create("b", "wind power"),
        KeyValuePair.Create("c", "bread and butter"),
        KeyValuePair.Create("10", "solar solar"),
        KeyValuePair.Create("9", "solar solar"),
    ];

    [Test]
    public void Scores_equal_bm25_reranking_with_the_index_statistics()
    {
        Bm25Index index = Bm25Index.Create(Corpus);
        IReadOnlyList<Bm25Hit> hits = index.Search("solar power", 10);
        using var reranker = new Bm25Reranker(new Bm25Options { CorpusStatistics = index.Statistics });
        RerankResponse response = reranker.RerankAsync("solar power", Corpus.Select(pair => new RerankDocument(pair.Value) { Id = pair.Key })).Result;

        foreach (Bm25Hit hit in hits)
        {
            Assert.That(hit.Score, Is.EqualTo(response.Results.Single(r => r.Document.Id == hit.Id).Score).Within(1e-12), hit.Id);
        }

        Assert.That(index.Statistics.DocumentCount, Is.EqualTo(5));
        Assert.That(index.Statistics.GetDocumentFrequency("solar"), Is.EqualTo(3));
    }

    [Test]
    public void Returns_only_matching_documents_best_first_ties_by_id_descending_as_trec_eval()
    {
        Bm25Index index = Bm25Index.Create(Corpus);
        IReadOnlyList<Bm25Hit> hits = index.Search("solar", 10);
        Assert.That(hits.Select(hit => hit.Id), Is.EqualTo(new[] { "9", "10", "a" }));
        Assert.That(index.Search("solar", 1).Select(hit => hit.Id), Is.EqualTo(new[] { "9" }));
        Assert.That(index.Search("unknown words", 10), Is.Empty);
        Assert.That(index.Search("!!!", 10), Is.Empty);
    }

    [Test]
    public void Refuses_duplicate_ids_and_bad_arguments()
    {
        Assert.That(() => Bm25Index.Create([KeyValuePair.Create("a", "x"), KeyValuePair.Create("a", "y")]), Throws.ArgumentException.With.Message.Contains("'a' occurs twice"));
        Assert.That(() => Bm25Index.Create([KeyValuePair.Create("a", (string)null!)]), Throws.ArgumentException.With.Message.Contains("position 0"));
        Assert.That(() => Bm25Index.Create(Corpus).Search("x", 0), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => Bm25Index.Create(Corpus, new Bm25Options { B = 2 }), Throws.TypeOf<ArgumentOutOfRangeException>());
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        Assert.That(() => Bm25Index.Create(Corpus, cancellationToken: cancellation.Token), Throws.InstanceOf<OperationCanceledException>());
    }
}
