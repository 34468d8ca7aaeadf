using Microsoft.Extensions.Caching.Memory;

namespace Rerank.Onnx.Tests.Runtime;

/// <summary>The metadata a score cache keys on: pointwise, with digests of the model's files and every setting applied on top of them.</summary>
[TestFixture]
public sealed class ScoringFingerprintTests
{
    private const string Query = "green plants and the sun";
    private static readonly string[] Documents = ToyModels.MixedLengthDocuments(6, seed: 3);

    [Test]
    public async Task Two_activations_of_one_model_sharing_a_cache_do_not_read_each_others_scores()
    {
        var shared = new MemoryCache(new MemoryCacheOptions());
        using IReranker sigmoid = new RerankerBuilder(ToyModels.Create(ToyModels.Bert)).UseMemoryCache(shared).Build();
        using IReranker identity = new RerankerBuilder(ToyModels.Create(ToyModels.Bert, o => o.Activation = CrossEncoderActivation.Identity)).UseMemoryCache(shared).Build();
        using OnnxCrossEncoderReranker uncached = ToyModels.Create(ToyModels.Bert, o => o.Activation = CrossEncoderActivation.Identity);

        await sigmoid.RerankAsync(Query, Documents);
        RerankResponse logits = await identity.RerankAsync(Query, Documents);

        Assert.That(logits.AdditionalProperties![RerankResponseProperties.CacheHits], Is.Zero, "same model path and id, another activation");
        Assert.That(await ToyModels.ScoresAsync(identity, Query, Documents), Is.EqualTo(await ToyModels.ScoresAsync(uncached, Query, Documents)));
    }

    [Test]
    public void The_fingerprint_follows_the_files_contents_and_settings_not_their_path()
    {
        using var copy = new TempModelFolder(ToyModels.Bert);
        using var changed = new TempModelFolder(ToyModels.Bert);
        changed.Write("config.json", File.ReadAllText(Path.Combine(ToyModels.Bert, "config.json")).Replace("{", "{\"sbert_ce_default_activation_function\": \"torch.nn.modules.linear.Identity\", ", StringComparison.Ordinal));

        string? Print(string directory, Action<OnnxCrossEncoderOptions>? configure = null)
        {
            using OnnxCrossEncoderReranker reranker = ToyModels.Create(directory, configure);
            RerankerMetadata metadata = reranker.GetService<RerankerMetadata>()!;
            Assert.That(metadata.ScoreSemantics, Is.EqualTo(RerankScoreSemantics.Pointwise));
            return metadata.ScoringFingerprint;
        }

        string? original = Print(ToyModels.Bert);
        Assert.That(Print(copy.Path), Is.EqualTo(original), "a copy of the same files elsewhere shares cached scores");
        Assert.That(
            new[] { original, Print(changed.Path), Print(ToyModels.Bert, o => o.MaxLength = 16), Print(ToyModels.Bert, o => o.Activation = CrossEncoderActivation.Identity) },
            Is.Unique,
            "config.json, max length and activation each change the scores");
        Assert.That(original, Does.Contain("max-length=").And.Contain("activation=Sigmoid").And.Contain("tokenizer=fake-bert-words"));
    }
}
