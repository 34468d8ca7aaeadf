using Rerank.Onnx.LateInteraction;

namespace Rerank.Onnx.Tests.LateInteraction;

/// <summary>Document-side reuse: the memory cache, the distributed cache, stored embeddings and their serialisation.</summary>
public sealed class LateInteractionCacheTests
{
    private static readonly ColBertGolden Golden = ColBertGolden.Load();
    private static readonly RerankDocument[] Documents = [.. Golden.DocumentTexts.Select(t => new RerankDocument(t))];
    private static readonly string Query = Golden.Queries[0].Text;

    private static OnnxLateInteractionOptions Options(Action<OnnxLateInteractionOptions>? configure = null)
    {
        var options = new OnnxLateInteractionOptions(ColBertGolden.Directory) { IntraOpNumThreads = 1, BatchSize = 4 };
        configure?.Invoke(options);
        return options;
    }

    private static double[] ByIndex(RerankResponse response) => [.. response.Results.OrderBy(r => r.Index).Select(r => r.Score)];

    [Test]
    public async Task A_repeated_candidate_is_not_encoded_again()
    {
        using var reranker = new OnnxLateInteractionReranker(Options());
        RerankResponse first = await reranker.RerankAsync(Query, Documents);
        long runs = reranker.SessionRunCount;

        RerankResponse second = await reranker.RerankAsync(Golden.Queries[1].Text, Documents);

        Assert.That(reranker.SessionRunCount - runs, Is.EqualTo(1), "only the query is encoded");
        Assert.That(second.Usage!.AdditionalCounts!["memory_cache_hits"], Is.EqualTo(Documents.Length));
        Assert.That(second.Usage.AdditionalCounts["encoded_documents"], Is.Zero);
        Assert.That(first.Usage!.AdditionalCounts!["encoded_documents"], Is.EqualTo(Documents.Length));
        Assert.That(ByIndex(second), Is.EqualTo(Golden.Scores[1]).Within(1e-4));
    }

    [Test]
    public async Task Duplicate_documents_in_one_call_are_encoded_once()
    {
        using var reranker = new OnnxLateInteractionReranker(Options(o => o.DocumentCacheBytes = 0));

        RerankResponse response = await reranker.RerankAsync(Query, [new RerankDocument("same text"), new RerankDocument("other"), new RerankDocument("same text")]);

        Assert.That(response.Usage!.AdditionalCounts!["encoded_documents"], Is.EqualTo(3), "without a cache every document is encoded");
        using var cached = new OnnxLateInteractionReranker(Options());
        RerankResponse deduplicated = await cached.RerankAsync(Query, [new RerankDocument("same text"), new RerankDocument("other"), new RerankDocument("same text")]);
        Assert.That(deduplicated.Usage!.AdditionalCounts!["encoded_documents"], Is.EqualTo(2));
        Assert.That(ByIndex(deduplicated)[0], Is.EqualTo(ByIndex(deduplicated)[2]));
    }

    [TestCase(LateInteractionStorageFormat.Float32, 1e-6)]
    [TestCase(LateInteractionStorageFormat.Float16, 1e-2)]
    public async Task A_distributed_cache_serves_another_instance_without_encoding(LateInteractionStorageFormat format, double tolerance)
    {
        var cache = new CountingDistributedCache();
        using (var writer = new OnnxLateInteractionReranker(Options(o => o.DistributedCacheFormat = format), cache))
        {
            await writer.RerankAsync(Query, Documents);
        }

        Assert.That(cache.Values, Has.Count.EqualTo(Documents.Length));
        Assert.That(cache.Values.Keys, Is.All.StartWith("rerank:late_interaction:"));
        using var reader = new OnnxLateInteractionReranker(Options(o => o.DocumentCacheBytes = 0), cache);
        RerankResponse response = await reader.RerankAsync(Query, Documents);

        Assert.That(reader.SessionRunCount, Is.EqualTo(1), "only the query");
        Assert.That(response.Usage!.AdditionalCounts!["distributed_cache_hits"], Is.EqualTo(Documents.Length));
        Assert.That(ByIndex(response), Is.EqualTo(Golden.Scores[0]).Within(tolerance));
    }

    [Test]
    public async Task A_failing_distributed_cache_is_a_miss_and_a_warning()
    {
        var cache = new CountingDistributedCache { Fail = true };
        var logger = new Microsoft.Extensions.Logging.Testing.FakeLogger();
        using var reranker = new OnnxLateInteractionReranker(Options(o => o.Logger = logger), cache);

        RerankResponse response = await reranker.RerankAsync(Query, Documents);

        Assert.That(ByIndex(response), Is.EqualTo(Golden.Scores[0]).Within(1e-4));
        Assert.That(logger.Collector.GetSnapshot().Select(r => r.Message), Has.Some.Contains("distributed cache"));
    }

    [Test]
    public async Task Stored_embeddings_rerank_as_the_texts_do()
    {
        using var reranker = new OnnxLateInteractionReranker(Options(o => o.DocumentCacheBytes = 0));
        IReadOnlyList<LateInteractionEmbeddings> stored = await reranker.EncodeDocumentsAsync(Golden.DocumentTexts);
        LateInteractionEmbeddings[] roundTripped = [.. stored.Select(e => LateInteractionEmbeddings.FromBytes(e.ToBytes(LateInteractionStorageFormat.Float32)))];
        long runs = reranker.SessionRunCount;

        RerankResponse fromStore = await reranker.RerankAsync(Query, Documents, roundTripped, new RerankOptions { TopN = 3 });

        Assert.That(reranker.SessionRunCount - runs, Is.EqualTo(1));
        Assert.That(fromStore.Results, Has.Count.EqualTo(3));
        double[] expected = [.. Golden.Scores[0].Select((s, i) => (s, i)).OrderByDescending(p => p.s).Take(3).Select(p => p.s)];
        Assert.That(fromStore.Results.Select(r => r.Score), Is.EqualTo(expected).Within(1e-4));
        LateInteractionEmbeddings query = await reranker.EncodeQueryAsync(Query);
        Assert.That(query.TokenCount, Is.EqualTo(Golden.QueryLength));
        Assert.That(OnnxLateInteractionReranker.Score(query, stored[0]), Is.EqualTo(Golden.Scores[0][0]).Within(1e-4));
    }

    [Test]
    public async Task Stored_embeddings_are_checked()
    {
        using var reranker = new OnnxLateInteractionReranker(Options());
        IReadOnlyList<LateInteractionEmbeddings> stored = await reranker.EncodeDocumentsAsync(["one", "two"]);
        var wrong = new LateInteractionEmbeddings(new float[6], 2, 3);

        Assert.That(() => reranker.RerankAsync(Query, Documents[..2], [stored[0]]), Throws.ArgumentException.With.Message.Contains("2 documents and 1 embeddings"));
        Assert.That(() => reranker.RerankAsync(Query, Documents[..2], [stored[0], wrong]), Throws.ArgumentException.With.Message.Contains("index 1 have dimension 3"));
        Assert.That(() => reranker.RerankAsync(Query, Documents[..2], [stored[0], null!]), Throws.ArgumentException.With.Message.Contains("index 1 are null"));
    }

    [Test]
    public void Serialisation_round_trips_and_rejects_other_bytes()
    {
        float[] values = [0.5f, -0.25f, 1f / 3, 0.1f, 0.2f, -0.9f];
        var embeddings = new LateInteractionEmbeddings(values, 2, 3);

        byte[] full = embeddings.ToBytes(LateInteractionStorageFormat.Float32);
        byte[] half = embeddings.ToBytes(LateInteractionStorageFormat.Float16);

        Assert.That(full, Has.Length.EqualTo(16 + 24));
        Assert.That(half, Has.Length.EqualTo(16 + 12));
        Assert.That(LateInteractionEmbeddings.FromBytes(full).Values.ToArray(), Is.EqualTo(values));
        Assert.That(LateInteractionEmbeddings.FromBytes(half).Values.ToArray(), Is.EqualTo(values).Within(1e-3));
        Assert.That(() => LateInteractionEmbeddings.FromBytes(full.AsSpan(0, 30)), Throws.TypeOf<FormatException>().With.Message.Contains("header says 2 × 3"));
        Assert.That(() => LateInteractionEmbeddings.FromBytes("not embeddings"u8), Throws.TypeOf<FormatException>().With.Message.Contains("CLB1"));
        Assert.That(() => new LateInteractionEmbeddings(values, 4, 3), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void The_memory_cache_evicts_the_least_recently_used_within_its_bytes()
    {
        var one = new LateInteractionEmbeddings(new float[100], 10, 10); // 400 bytes
        long entry = one.SizeInBytes + DocumentEmbeddingCache.EntryOverhead + 2;
        var cache = new DocumentEmbeddingCache(2 * entry);
        cache.Set("a", one, null);
        cache.Set("b", one, null);
        Assert.That(cache.TryGet("a", out _, out _), Is.True, "touching a makes b the oldest");

        cache.Set("c", one, null);

        Assert.That(cache.Count, Is.EqualTo(2));
        Assert.That(cache.Bytes, Is.LessThanOrEqualTo(2 * entry));
        Assert.That(cache.TryGet("b", out _, out _), Is.False);
        Assert.That(cache.TryGet("a", out _, out _) && cache.TryGet("c", out _, out _), Is.True);
    }
}
