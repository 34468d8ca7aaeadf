namespace Rerank.Onnx.Tests.Runtime;

/// <summary>int8 model files (MatMulInteger and com.microsoft DynamicQuantizeMatMul) load and score close to their float32 originals.</summary>
[TestFixture]
public sealed class QuantizedModelTests
{
    private const string Query = "green plants and the sun";

    [TestCase("bert-one-label", "onnx/model_quantized.onnx")]
    [TestCase("xlmr-two-labels", "model_qint8_avx512.onnx")]
    public async Task The_quantized_variant_is_found_and_scores_close_to_float32(string folder, string expectedFile)
    {
        string directory = Path.Combine(ToyModels.Root, folder);
        string[] documents = ToyModels.MixedLengthDocuments(30, seed: 21);
        using OnnxCrossEncoderReranker float32 = ToyModels.Create(directory);
        using OnnxCrossEncoderReranker int8 = ToyModels.Create(directory, o => { o.ModelVariant = OnnxModelVariant.Quantized; o.BatchSize = 7; });
        Assert.That(int8.ModelPath, Is.EqualTo(Path.Combine(directory, expectedFile)));

        double[] reference = await ToyModels.ScoresAsync(float32, Query, documents);
        double[] quantized = await ToyModels.ScoresAsync(int8, Query, documents);

        Assert.That(quantized, Is.Not.EqualTo(reference), "the int8 graph really ran: its rounding shows");
        Assert.That(quantized, Is.EqualTo(reference).Within(0.05));
    }

    [Test]
    public async Task A_quantized_file_can_be_named_directly()
    {
        using OnnxCrossEncoderReranker reranker = ToyModels.Create(ToyModels.XlmrTwoLabels, o => o.ModelPath = "model_qint8_avx512.onnx");

        RerankResponse response = await reranker.RerankAsync(Query, ToyModels.MixedLengthDocuments(5));

        Assert.That(response.Results, Has.Count.EqualTo(5));
        Assert.That(response.Results.Select(r => r.Score), Is.All.InRange(0.0, 1.0));
    }
}
