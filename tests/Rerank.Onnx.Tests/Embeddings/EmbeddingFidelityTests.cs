using Microsoft.Extensions.AI;

namespace Rerank.Onnx.Tests.Embeddings;

/// <summary>
/// The generator against transformers.js' feature-extraction pipeline on the random-weight fixtures: every dimension
/// within 1e-5, all texts of a fixture embedded in one call (so sorted, batched and padded), prompts, truncation at
/// max_seq_length, each pooling mode, and the int8 export.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class EmbeddingFidelityTests
{
    private const float Tolerance = 1e-5f;

    [TestCase(EmbeddingGoldenFile.Bert)]
    [TestCase(EmbeddingGoldenFile.Xlmr)]
    public async Task Every_golden_matches_the_reference_when_embedded_in_one_batched_call(string model)
    {
        EmbeddingGoldenFile file = EmbeddingGoldenFile.Load(model);
        using var generator = new OnnxEmbeddingGenerator(new OnnxEmbeddingGeneratorOptions(EmbeddingGoldenFile.ModelDirectory(model)) { BatchSize = 8 });
        await AssertGoldensAsync(generator, file.Goldens);
    }

    /// <remarks>
    /// One text per batch, as the reference ran: dynamic quantization takes each activation's scale over the whole batch
    /// tensor, so an int8 embedding moves by about 1e-3 with the texts it is batched with (float32 ones do not).
    /// </remarks>
    [Test]
    public async Task The_int8_export_matches_transformers_js_q8()
    {
        EmbeddingGoldenFile file = EmbeddingGoldenFile.Load(EmbeddingGoldenFile.Xlmr);
        using var generator = new OnnxEmbeddingGenerator(new OnnxEmbeddingGeneratorOptions(EmbeddingGoldenFile.ModelDirectory(EmbeddingGoldenFile.Xlmr)) { ModelVariant = OnnxModelVariant.Quantized, BatchSize = 1 });
        Assert.That(generator.ModelPath, Does.EndWith("model_quantized.onnx"));
        await AssertGoldensAsync(generator, file.QuantizedGoldens!);
    }

    [TestCase("mean", EmbeddingPooling.Mean)]
    [TestCase("cls", EmbeddingPooling.Cls)]
    [TestCase("max", EmbeddingPooling.Max)]
    [TestCase("mean_sqrt_len_tokens", EmbeddingPooling.MeanSqrtLength)]
    [TestCase("lasttoken", EmbeddingPooling.LastToken)]
    public async Task Each_pooling_mode_read_from_the_folder_matches_the_reference(string mode, EmbeddingPooling expected)
    {
        IReadOnlyList<PoolingGolden> goldens = EmbeddingGoldenFile.Load(EmbeddingGoldenFile.Bert).PoolingGoldens!;
        using var folder = new Runtime.TempModelFolder(EmbeddingGoldenFile.ModelDirectory(EmbeddingGoldenFile.Bert));
        folder.Write("1_Pooling/config.json", $$"""{ "pooling_mode_{{(mode == "cls" ? "cls_token" : mode == "lasttoken" ? "lasttoken" : mode == "mean" ? "mean_tokens" : mode == "max" ? "max_tokens" : mode)}}": true }""");
        using var generator = new OnnxEmbeddingGenerator(new OnnxEmbeddingGeneratorOptions(folder.Path) { Normalize = false });
        Assert.That(generator.Pooling, Is.EqualTo(new[] { expected }));

        GeneratedEmbeddings<Embedding<float>> embeddings = await generator.GenerateAsync(goldens.Select(g => g.Text));
        for (int i = 0; i < goldens.Count; i++)
        {
            AssertClose(embeddings[i].Vector.Span, goldens[i].Embeddings[mode], $"{goldens[i].Name} ({mode})");
        }
    }

    [Test]
    public async Task Pooling_modes_listed_together_are_concatenated_in_sentence_transformers_order()
    {
        IReadOnlyList<PoolingGolden> goldens = EmbeddingGoldenFile.Load(EmbeddingGoldenFile.Bert).PoolingGoldens!;
        using var folder = new Runtime.TempModelFolder(EmbeddingGoldenFile.ModelDirectory(EmbeddingGoldenFile.Bert));
        folder.Write("1_Pooling/config.json", """{ "pooling_mode_mean_tokens": true, "pooling_mode_cls_token": true }""");
        using var generator = new OnnxEmbeddingGenerator(new OnnxEmbeddingGeneratorOptions(folder.Path) { Normalize = false });
        Assert.That(generator.Dimensions, Is.EqualTo(24));

        ReadOnlyMemory<float> vector = (await generator.GenerateAsync([goldens[0].Text]))[0].Vector;
        AssertClose(vector.Span[..12], goldens[0].Embeddings["cls"], "cls part");
        AssertClose(vector.Span[12..], goldens[0].Embeddings["mean"], "mean part");
    }

    [Test]
    public async Task Texts_longer_than_max_seq_length_are_truncated_to_it_and_reported()
    {
        EmbeddingGoldenFile file = EmbeddingGoldenFile.Load(EmbeddingGoldenFile.Bert);
        EmbeddingGolden[] longOnes = [.. file.Goldens.Where(g => g.Name.StartsWith("long-", StringComparison.Ordinal) && g.InputIds.Length == 24)];
        Assert.That(longOnes, Has.Length.GreaterThanOrEqualTo(3), "the goldens hold texts longer than max_seq_length (24)");

        using var generator = new OnnxEmbeddingGenerator(EmbeddingGoldenFile.ModelDirectory(EmbeddingGoldenFile.Bert));
        Assert.That(generator.MaxLength, Is.EqualTo(24), "sentence_bert_config.json's max_seq_length wins over tokenizer_config.json's 512");
        GeneratedEmbeddings<Embedding<float>> result = await generator.GenerateAsync(longOnes.Select(g => g.Text));
        Assert.That(result.AdditionalProperties?[RerankResponseProperties.TruncatedDocuments], Is.EqualTo(longOnes.Length));
        Assert.That(result.Usage?.InputTokenCount, Is.EqualTo(24L * longOnes.Length));
    }

    internal static async Task AssertGoldensAsync(OnnxEmbeddingGenerator generator, IReadOnlyList<EmbeddingGolden> goldens)
    {
        foreach (IGrouping<string?, EmbeddingGolden> group in goldens.GroupBy(g => g.PromptName))
        {
            EmbeddingGolden[] cases = [.. group];
            var options = group.Key is null ? null : new EmbeddingGenerationOptions { AdditionalProperties = new() { [OnnxEmbeddingGenerator.PromptNameProperty] = group.Key } };
            GeneratedEmbeddings<Embedding<float>> embeddings = await generator.GenerateAsync(cases.Select(g => g.Text), options);
            Assert.That(embeddings, Has.Count.EqualTo(cases.Length));
            Assert.Multiple(() =>
            {
                for (int i = 0; i < cases.Length; i++)
                {
                    AssertClose(embeddings[i].Vector.Span, cases[i].Embedding, cases[i].Name);
                }
            });
            Assert.That(embeddings.Usage?.InputTokenCount, Is.EqualTo(cases.Sum(g => (long)g.InputIds.Length)), "usage counts the reference's tokens");
        }
    }

    internal static void AssertClose(ReadOnlySpan<float> actual, float[] expected, string name)
    {
        Assert.That(actual.Length, Is.EqualTo(expected.Length), name + ": dimensions");
        float worst = 0;
        int at = -1;
        for (int d = 0; d < expected.Length; d++)
        {
            float delta = Math.Abs(actual[d] - expected[d]);
            if (delta > worst)
            {
                worst = delta;
                at = d;
            }
        }

        Assert.That(worst, Is.LessThanOrEqualTo(Tolerance), $"{name}: dimension {at} differs by {worst:G3}");
    }
}
