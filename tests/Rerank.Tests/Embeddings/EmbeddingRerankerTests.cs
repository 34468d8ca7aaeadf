using Rerank.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Rerank.Tests.Embeddings;

public sealed class EmbeddingRerankerTests
{
    private static readonly string[] Documents =
    [
        "Plants make energy from sunlight.",
        "The stock market fell on Tuesday.",
        "Sunlight gives plants energy.",
    ];

    [Test]
    public async Task Scores_are_cosines_between_the_query_and_each_document()
    {
        // 4,096 buckets: no two of these words share one.
        using var generator = new HashingEmbeddingGenerator(4096);
        using var reranker = new EmbeddingReranker(generator);

        RerankResponse response = await reranker.RerankAsync("plants sunlight energy", Documents);

        Assert.That(response.Results.Select(r => r.Index), Is.EqualTo(new[] { 2, 0, 1 }));
        Assert.That(response.Results[2].Score, Is.EqualTo(0).Within(1e-12), "no word in common");
        Assert.That(response.Results[0].Score, Is.EqualTo(3 / Math.Sqrt(3 * 4)).Within(1e-6), "3 shared words of 3 and 4");
        Assert.That(response.Results[1].Score, Is.EqualTo(3 / Math.Sqrt(3 * 5)).Within(1e-6), "3 shared words of 3 and 5");
    }

    [Test]
    public async Task A_second_call_embeds_only_the_query_and_reports_the_cache_hits()
    {
        using var generator = new HashingEmbeddingGenerator();
        using var reranker = new EmbeddingReranker(generator);
        RerankResponse first = await reranker.RerankAsync("plants", Documents);
        long afterFirst = generator.TextsEmbedded;

        RerankResponse second = await reranker.RerankAsync("stock market", Documents);

        Assert.That(afterFirst, Is.EqualTo(4), "the query and three documents");
        Assert.That(generator.TextsEmbedded - afterFirst, Is.EqualTo(1), "only the new query");
        Assert.That(first.AdditionalProperties![RerankResponseProperties.EmbeddingCacheMisses], Is.EqualTo(3));
        Assert.That(second.AdditionalProperties![RerankResponseProperties.EmbeddingCacheHits], Is.EqualTo(3));
        Assert.That(second.AdditionalProperties![RerankResponseProperties.EmbeddingCacheMisses], Is.EqualTo(0));
    }

    [Test]
    public async Task Identical_texts_in_one_call_are_embedded_once_and_share_a_score()
    {
        using var generator = new HashingEmbeddingGenerator();
        using var reranker = new EmbeddingReranker(generator);

        RerankResponse response = await reranker.RerankAsync("plants", ["same text", "other", "same text"]);

        Assert.That(generator.TextsEmbedded, Is.EqualTo(3), "query, 'same text' once, 'other'");
        Assert.That(response.Results.Single(r => r.Index == 0).Score, Is.EqualTo(response.Results.Single(r => r.Index == 2).Score));
    }

    [Test]
    public async Task A_lone_surrogate_and_the_replacement_character_are_different_documents()
    {
        using var generator = new HashingEmbeddingGenerator();
        using var reranker = new EmbeddingReranker(generator);

        RerankResponse response = await reranker.RerankAsync("q", ["a\uD800", "a\uFFFD", "   ", string.Empty]);

        Assert.That(response.AdditionalProperties![RerankResponseProperties.EmbeddingCacheMisses], Is.EqualTo(4), "a UTF-8 key would merge the first two");
        Assert.That(response.Results, Has.Count.EqualTo(4));
        Assert.That(response.Results.Where(r => r.Index >= 2).Select(r => r.Score), Is.All.EqualTo(0.0), "an all-zero embedding scores 0, not NaN");
    }

    [Test]
    public async Task A_distributed_cache_is_shared_by_two_instances()
    {
        var cache = new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions()));
        using var generator = new HashingEmbeddingGenerator();
        using (var first = new EmbeddingReranker(generator, cache))
        {
            await first.RerankAsync("plants", Documents);
        }

        long before = generator.TextsEmbedded;
        using var second = new EmbeddingReranker(generator, cache);
        RerankResponse response = await second.RerankAsync("plants", Documents);

        Assert.That(generator.TextsEmbedded - before, Is.EqualTo(1), "the documents came from the shared cache");
        Assert.That(response.AdditionalProperties![RerankResponseProperties.EmbeddingCacheHits], Is.EqualTo(3));
        Assert.That(generator.Disposed, Is.False, "the generator is the caller's");
    }

    [Test]
    public async Task Documents_embedded_with_other_options_or_by_another_model_are_embedded_again()
    {
        var cache = new MemoryCache(new MemoryCacheOptions());
        using var generator = new HashingEmbeddingGenerator();
        using var other = new HashingEmbeddingGenerator(modelId: "another-model");
        using var plain = new EmbeddingReranker(generator, cache);
        using var prompted = new EmbeddingReranker(generator, cache, new EmbeddingRerankerOptions { DocumentGenerationOptions = new() { AdditionalProperties = new() { ["prompt_name"] = "passage" } } });
        using var otherModel = new EmbeddingReranker(other, cache);

        await plain.RerankAsync("q", Documents);
        RerankResponse withPrompt = await prompted.RerankAsync("q", Documents);
        RerankResponse byOtherModel = await otherModel.RerankAsync("q", Documents);

        Assert.That(withPrompt.AdditionalProperties![RerankResponseProperties.EmbeddingCacheMisses], Is.EqualTo(3));
        Assert.That(byOtherModel.AdditionalProperties![RerankResponseProperties.EmbeddingCacheMisses], Is.EqualTo(3));
        Assert.That(prompted.GetService<RerankerMetadata>()!.ScoringFingerprint, Is.Not.EqualTo(plain.GetService<RerankerMetadata>()!.ScoringFingerprint));
    }

    [Test]
    public void A_query_embedding_of_other_dimensions_than_the_documents_is_a_clear_error()
    {
        using var generator = new HashingEmbeddingGenerator();
        using var reranker = new EmbeddingReranker(generator, new EmbeddingRerankerOptions { QueryGenerationOptions = new() { Dimensions = 32 } });

        InvalidOperationException? error = Assert.ThrowsAsync<InvalidOperationException>(() => reranker.RerankAsync("q", Documents));

        Assert.That(error!.Message, Does.Contain("32 dimensions").And.Contain("document 0's embedding has 64"));
    }

    [Test]
    public async Task A_failing_distributed_cache_does_not_fail_reranking()
    {
        using var generator = new HashingEmbeddingGenerator();
        using var reranker = new EmbeddingReranker(generator, new ThrowingDistributedCache());

        RerankResponse response = await reranker.RerankAsync("plants", Documents);

        Assert.That(response.Results, Has.Count.EqualTo(3));
        Assert.That(response.AdditionalProperties![RerankResponseProperties.EmbeddingCacheMisses], Is.EqualTo(3));
    }

    [Test]
    public void Metadata_is_pointwise_with_a_fingerprint_naming_the_model_and_dimensions()
    {
        using var generator = new HashingEmbeddingGenerator();
        using var reranker = new EmbeddingReranker(generator);

        RerankerMetadata metadata = reranker.GetService<RerankerMetadata>()!;

        Assert.That(metadata.ScoreSemantics, Is.EqualTo(RerankScoreSemantics.Pointwise));
        Assert.That(metadata.ScoringFingerprint, Does.Contain("model=hashing-64").And.Contain("dimensions=64"));
        Assert.That(metadata.ProviderName, Is.EqualTo(EmbeddingReranker.ProviderName));
        Assert.That(reranker.GetService<IEmbeddingGenerator<string, Embedding<float>>>(), Is.SameAs(generator), "the generator is reachable");
        Assert.That(reranker.GetService<EmbeddingGeneratorMetadata>()!.DefaultModelId, Is.EqualTo("hashing-64"));
    }

    [Test]
    public async Task Cancellation_while_the_generator_runs_propagates()
    {
        using var generator = new HashingEmbeddingGenerator();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        generator.Gate = async ct =>
        {
            entered.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
        };
        using var reranker = new EmbeddingReranker(generator);
        using var cts = new CancellationTokenSource();

        Task<RerankResponse> call = reranker.RerankAsync("q", Documents, cancellationToken: cts.Token);
        await entered.Task;
        await cts.CancelAsync();

        Assert.That(async () => await call, Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public void MaxCachedDocuments_below_one_is_rejected()
    {
        using var generator = new HashingEmbeddingGenerator();
        Assert.That(() => new EmbeddingReranker(generator, new EmbeddingRerankerOptions { MaxCachedDocuments = 0 }), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("MaxCachedDocuments"));
    }

    private sealed class ThrowingDistributedCache : IDistributedCache
    {
        public byte[]? Get(string key) => throw new InvalidOperationException("cache down");

        public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => throw new InvalidOperationException("cache down");

        public void Refresh(string key) => throw new InvalidOperationException("cache down");

        public Task RefreshAsync(string key, CancellationToken token = default) => throw new InvalidOperationException("cache down");

        public void Remove(string key) => throw new InvalidOperationException("cache down");

        public Task RemoveAsync(string key, CancellationToken token = default) => throw new InvalidOperationException("cache down");

        public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => throw new InvalidOperationException("cache down");

        public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) => throw new InvalidOperationException("cache down");
    }
}
