namespace Rerank.Tests.Middleware.Deduplication;

[TestFixture]
public sealed class DeduplicatingRerankerTests
{
    private const string Query = "plants energy";

    [Test]
    public async Task Identical_texts_are_scored_once_and_mapped_back_to_every_index()
    {
        var probe = new ProbeReranker();
        using IReranker reranker = new RerankerBuilder(probe).UseDeduplication().Build();
        List<RerankDocument> documents = ["plants", "energy plants", "plants", "bees", "energy plants", "plants"];

        RerankResponse response = await reranker.RerankAsync(Query, documents, new RerankOptions { TopN = 4 });

        Assert.That(probe.Calls.Single().Documents, Is.EqualTo(new[] { documents[0], documents[1], documents[3] }).Using<RerankDocument>(ReferenceEquals));
        Assert.That(probe.Calls.Single().Options?.TopN, Is.Null, "TopN applies after the mapping");
        Assert.That(response.Results.Select(r => r.Index), Is.EqualTo(new[] { 1, 4, 0, 2 }), "duplicates tie and keep input order");
        Assert.That(response.Results.Select(r => r.Document), Is.EqualTo(new[] { documents[1], documents[4], documents[0], documents[2] }).Using<RerankDocument>(ReferenceEquals));
        Assert.That(response.Results[2].Score, Is.EqualTo(ProbeReranker.Score(Query, "plants")));
        Assert.That(response.AdditionalProperties![RerankResponseProperties.DuplicateDocuments], Is.EqualTo(3));
        Assert.That(response.Usage!.InputTokenCount, Is.EqualTo(3), "the inner call's usage");
    }

    [Test]
    public async Task A_call_without_duplicates_passes_through_unchanged()
    {
        var probe = new ProbeReranker();
        using IReranker reranker = new RerankerBuilder(probe).UseDeduplication().Build();
        var options = new RerankOptions { TopN = 1 };

        RerankResponse response = await reranker.RerankAsync(Query, ["a", "plants", "b"], options);

        Assert.That(probe.Calls.Single().Options, Is.SameAs(options));
        Assert.That(response.Results.Single().Index, Is.EqualTo(1));
    }

    [Test]
    public async Task Ten_thousand_copies_of_ten_texts_are_ten_inner_documents()
    {
        var probe = new ProbeReranker();
        using IReranker reranker = new RerankerBuilder(probe).UseDeduplication().Build();
        string[] documents = Enumerable.Range(0, 10_000).Select(i => $"text {i % 10} plants").ToArray();

        RerankResponse response = await reranker.RerankAsync(Query, documents);

        Assert.That(probe.Calls.Single().Documents, Has.Count.EqualTo(10));
        Assert.That(response.Results, Has.Count.EqualTo(10_000));
        Assert.That(response.Results.Select(r => r.Index).Order(), Is.EqualTo(Enumerable.Range(0, 10_000)));
        Assert.That(response.Results.All(r => r.Document.Text == documents[r.Index]), Is.True);
    }

    [Test]
    public async Task A_comparer_decides_what_is_identical()
    {
        var probe = new ProbeReranker();
        using IReranker reranker = new RerankerBuilder(probe).UseDeduplication(StringComparer.OrdinalIgnoreCase).Build();

        RerankResponse response = await reranker.RerankAsync(Query, ["Plants", "plants", "PLANTS"]);

        Assert.That(probe.Calls.Single().Documents.Select(d => d.Text), Is.EqualTo(new[] { "Plants" }));
        Assert.That(response.Results.Select(r => r.Score).Distinct().Count(), Is.EqualTo(1));
    }
}
