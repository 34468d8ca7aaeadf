using Microsoft.Extensions.VectorData;
using Rerank.Testing;

namespace Rerank.VectorData.Tests;

public sealed class VectorSearchRerankingTests
{
    private static readonly Passage[] Passages =
    [
        new("p1", "Solar panels turn sunlight into electricity."),
        new("p2", "Plants make energy from sunlight through photosynthesis."),
        new("p3", "The stock market fell sharply on Tuesday."),
        new("p4", "Photosynthesis converts light energy into chemical energy in plants."),
        new("p5", "A recipe for sourdough bread."),
    ];

    private static async Task<InMemoryVectorCollection<Passage>> CollectionAsync(HashingEmbeddingGenerator generator)
    {
        var collection = new InMemoryVectorCollection<Passage>(generator, p => p.Id, p => p.Text);
        await collection.UpsertAsync(Passages);
        return collection;
    }

    [Test]
    public async Task Reranked_results_keep_each_record_with_its_first_stage_score_and_rank()
    {
        using var generator = new HashingEmbeddingGenerator(4096);
        using InMemoryVectorCollection<Passage> collection = await CollectionAsync(generator);
        VectorSearchResult<Passage>[] firstStage = await collection.SearchAsync("sunlight", top: 5).ToArrayAsync();
        using var reranker = new Bm25Reranker();

        IReadOnlyList<RerankedSearchResult<Passage>> reranked = await collection.SearchAsync("sunlight", top: 5)
            .RerankAsync(reranker, "photosynthesis in plants", p => p.Text);

        Assert.That(reranked, Has.Count.EqualTo(5));
        Assert.That(reranked.Select(r => r.Rank), Is.EqualTo(new[] { 1, 2, 3, 4, 5 }));
        Assert.That(reranked[0].Record.Id, Is.EqualTo("p4"), "BM25 on 'photosynthesis in plants'");
        foreach (RerankedSearchResult<Passage> result in reranked)
        {
            VectorSearchResult<Passage> original = firstStage[result.FirstStageRank - 1];
            Assert.That(result.Record, Is.SameAs(original.Record), "the record is the collection's instance");
            Assert.That(result.FirstStageScore, Is.EqualTo(original.Score));
        }
    }

    [Test]
    public async Task The_first_stage_score_reaches_the_reranker_as_the_document_score()
    {
        using var generator = new HashingEmbeddingGenerator();
        using InMemoryVectorCollection<Passage> collection = await CollectionAsync(generator);
        var probe = new RecordingReranker();

        await collection.SearchAsync("sunlight", top: 3).RerankAsync(probe, "q", p => p.Text);

        VectorSearchResult<Passage>[] firstStage = await collection.SearchAsync("sunlight", top: 3).ToArrayAsync();
        Assert.That(probe.LastDocuments!.Select(d => d.Score), Is.EqualTo(firstStage.Select(r => r.Score)));
    }

    [Test]
    public async Task An_empty_first_stage_gives_an_empty_result_without_a_reranker_call()
    {
        using var generator = new HashingEmbeddingGenerator();
        var collection = new InMemoryVectorCollection<Passage>(generator, p => p.Id, p => p.Text);
        var probe = new RecordingReranker();
        var retriever = new RerankedRetriever<Passage>(collection, probe, p => p.Text);

        IReadOnlyList<RerankedSearchResult<Passage>> results = await retriever.RetrieveAsync("anything");

        Assert.That(results, Is.Empty);
        Assert.That(probe.CallCount, Is.Zero);
    }

    [Test]
    public async Task A_store_that_throws_mid_enumeration_surfaces_the_error_and_nothing_is_reranked()
    {
        using var generator = new HashingEmbeddingGenerator();
        using InMemoryVectorCollection<Passage> collection = await CollectionAsync(generator);
        collection.FailAfter = 2;
        var probe = new RecordingReranker();

        InvalidOperationException? error = Assert.ThrowsAsync<InvalidOperationException>(
            () => collection.SearchAsync("sunlight", top: 5).RerankAsync(probe, "q", p => p.Text));
        Assert.That(error!.Message, Does.Contain("connection was lost"));
        Assert.That(probe.CallCount, Is.Zero, "two of five candidates are not a ranking");

        var retriever = new RerankedRetriever<Passage>(collection, probe, p => p.Text);
        Assert.That(() => retriever.RetrieveAsync("sunlight"), Throws.InvalidOperationException.With.Message.Contains("connection was lost"));
        Assert.That(probe.CallCount, Is.Zero);
    }

    [Test]
    public async Task A_text_selector_returning_null_is_a_clear_error_naming_the_rank()
    {
        using var generator = new HashingEmbeddingGenerator();
        using InMemoryVectorCollection<Passage> collection = await CollectionAsync(generator);
        using var reranker = new Bm25Reranker();

        Assert.That(() => collection.SearchAsync("x", top: 5).RerankAsync(reranker, "q", p => p.Id == "p3" ? null! : p.Text),
            Throws.InvalidOperationException.With.Message.Contains("first-stage rank"));
    }

    [Test]
    public async Task The_retriever_takes_first_stage_top_k_and_returns_the_reranked_top_n()
    {
        using var generator = new HashingEmbeddingGenerator(4096);
        using InMemoryVectorCollection<Passage> collection = await CollectionAsync(generator);
        var probe = new RecordingReranker();
        var retriever = new RerankedRetriever<Passage>(collection, probe, p => p.Text, new RerankedRetrieverOptions<Passage> { FirstStageTop = 4, Top = 2 });

        IReadOnlyList<RerankedSearchResult<Passage>> results = await retriever.RetrieveAsync("energy from sunlight");

        Assert.That(probe.LastDocuments, Has.Count.EqualTo(4), "the reranker sees the first stage's top 4");
        Assert.That(results, Has.Count.EqualTo(2));
        Assert.That(results.Select(r => r.Rank), Is.EqualTo(new[] { 1, 2 }));
    }

    [Test]
    public async Task Hybrid_keywords_run_HybridSearchAsync()
    {
        using var generator = new HashingEmbeddingGenerator(4096);
        using InMemoryVectorCollection<Passage> collection = await CollectionAsync(generator);
        using var reranker = new Bm25Reranker();
        var retriever = new RerankedRetriever<Passage>(collection, reranker, p => p.Text, new RerankedRetrieverOptions<Passage>
        {
            FirstStageTop = 2,
            Top = 2,
            HybridKeywords = q => q.Split(' '),
        });

        IReadOnlyList<RerankedSearchResult<Passage>> results = await retriever.RetrieveAsync("sourdough bread");

        Assert.That(results[0].Record.Id, Is.EqualTo("p5"));
        Assert.That(results[0].FirstStageScore, Is.GreaterThan(1), "vector score plus the keyword share: the hybrid search answered");
    }

    [Test]
    public void Options_are_validated_when_the_retriever_is_built()
    {
        using var generator = new HashingEmbeddingGenerator();
        var collection = new InMemoryVectorCollection<Passage>(generator, p => p.Id, p => p.Text);
        var reranker = new RecordingReranker();

        Assert.That(() => new RerankedRetriever<Passage>(collection, reranker, p => p.Text, new() { Top = 0 }), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("Top"));
        Assert.That(() => new RerankedRetriever<Passage>(collection, reranker, p => p.Text, new() { FirstStageTop = 0 }), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("FirstStageTop"));
        Assert.That(() => new RerankedRetriever<Passage>(new VectorOnly(collection), reranker, p => p.Text, new() { HybridKeywords = q => [q] }), Throws.ArgumentException.With.Message.Contains("IKeywordHybridSearchable"));
    }

    private sealed class VectorOnly(IVectorSearchable<Passage> inner) : IVectorSearchable<Passage>
    {
        public IAsyncEnumerable<VectorSearchResult<Passage>> SearchAsync<TInput>(TInput searchValue, int top, VectorSearchOptions<Passage>? options = null, CancellationToken cancellationToken = default)
            where TInput : notnull => inner.SearchAsync(searchValue, top, options, cancellationToken);

        public object? GetService(Type serviceType, object? serviceKey = null) => null;
    }
}
