using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Rerank.Onnx.Tests.Embeddings;

/// <summary>
/// The embedding reranker's document cache is keyed on the ONNX generator's fingerprint (model digests and settings), so
/// two differently configured generators of one model never share cached embeddings, even through one shared cache.
/// </summary>
public sealed class EmbeddingCacheIdentityTests
{
    private static readonly string[] Documents = ["retrieval of documents by their meaning and their words", "a short text", "wings produce lift"];

    private static string Folder => EmbeddingGoldenFile.ModelDirectory(EmbeddingGoldenFile.Bert);

    [Test]
    public void The_generator_names_its_files_and_settings_and_the_name_changes_with_them()
    {
        using var a = new OnnxEmbeddingGenerator(Folder);
        using var same = new OnnxEmbeddingGenerator(Folder);
        using var shorter = new OnnxEmbeddingGenerator(new OnnxEmbeddingGeneratorOptions(Folder) { MaxLength = 6 });
        using var cls = new OnnxEmbeddingGenerator(new OnnxEmbeddingGeneratorOptions(Folder) { Pooling = EmbeddingPooling.Cls });

        string? fingerprint = a.GetService(typeof(string), RerankServiceKeys.ScoringFingerprint) as string;

        Assert.That(fingerprint, Does.StartWith("onnx-embedding(model=").And.Contain("pooling=Mean").And.Contain("max-length="));
        Assert.That(same.GetService(typeof(string), RerankServiceKeys.ScoringFingerprint), Is.EqualTo(fingerprint));
        Assert.That(shorter.GetService(typeof(string), RerankServiceKeys.ScoringFingerprint), Is.Not.EqualTo(fingerprint));
        Assert.That(cls.GetService(typeof(string), RerankServiceKeys.ScoringFingerprint), Is.Not.EqualTo(fingerprint));
        Assert.That(a.GetService(typeof(string), "another key"), Is.Null);
        Assert.That(fingerprint, Does.Not.Contain(Folder), "digests, not paths");
    }

    [Test]
    public async Task Two_generators_of_one_model_with_different_settings_do_not_share_cached_embeddings()
    {
        var shared = new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions()));
        using var full = new OnnxEmbeddingGenerator(Folder);
        using var truncating = new OnnxEmbeddingGenerator(new OnnxEmbeddingGeneratorOptions(Folder) { MaxLength = 6 });
        using var first = new EmbeddingReranker(full, shared);
        using var second = new EmbeddingReranker(truncating, shared);
        using var memory = new MemoryCache(new MemoryCacheOptions());
        using var alone = new EmbeddingReranker(truncating, memory);

        await first.RerankAsync("meaning and words", Documents);
        RerankResponse fromShared = await second.RerankAsync("meaning and words", Documents);
        RerankResponse expected = await alone.RerankAsync("meaning and words", Documents);

        Assert.That(fromShared.AdditionalProperties![RerankResponseProperties.EmbeddingCacheHits], Is.Zero, "the other generator's embeddings were not reused");
        Assert.That(fromShared.Results.Select(r => (r.Index, r.Score)), Is.EqualTo(expected.Results.Select(r => (r.Index, r.Score))));
    }
}
