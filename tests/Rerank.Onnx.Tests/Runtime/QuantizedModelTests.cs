using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Rerank.Onnx.Model;

namespace Rerank.Onnx.Tests.Runtime;

/// <summary>int8 model files (MatMulInteger and com.microsoft DynamicQuantizeMatMul) load and score close to their float32 originals.</summary>
[TestFixture]
public sealed class QuantizedModelTests
{
    private const string Query = "green plants and the sun";

    [Test]
    public async Task The_portable_quantized_variant_is_found_and_scores_close_to_float32()
    {
        string directory = Path.Combine(ToyModels.Root, "bert-one-label");
        (double[] reference, double[] quantized, _) = await ScoreBothAsync(directory, Path.Combine(directory, "onnx/model_quantized.onnx"));

        Assert.That(quantized, Is.Not.EqualTo(reference), "the int8 graph really ran: its rounding shows");
        Assert.That(quantized, Is.EqualTo(reference).Within(0.05));
    }

    [Test]
    public async Task A_signed_int8_export_for_vnni_cpus_scores_close_to_float32_there_and_warns_where_it_saturates()
    {
        string directory = Path.Combine(ToyModels.Root, "xlmr-two-labels");
        (double[] reference, double[] quantized, FakeLogger logger) = await ScoreBothAsync(directory, Path.Combine(directory, "model_qint8_avx512.onnx"));

        Assert.That(quantized, Is.Not.EqualTo(reference), "the int8 graph really ran: its rounding shows");
        bool warned = logger.Collector.GetSnapshot().Any(r => r.Level == LogLevel.Warning && r.Message.Contains("VNNI", StringComparison.Ordinal));
        if (Int8Hardware.SaturatesSignedInt8)
        {
            // Without VNNI, ONNX Runtime's s8s8 kernels saturate (0.82 became 0.65 on this export): the reranker must say
            // so rather than return such scores silently. The scores are still probabilities.
            Assert.That(warned, Is.True, "loading an AVX-512 export on a CPU without VNNI warns");
            Assert.That(quantized, Is.All.InRange(0.0, 1.0));
        }
        else
        {
            Assert.That(warned, Is.False);
            Assert.That(quantized, Is.EqualTo(reference).Within(0.05));
        }
    }

    [Test]
    public void The_export_made_for_this_cpu_is_tried_before_the_other_hardware_specific_ones()
    {
        string[] names = [.. ModelFiles.Candidates("m", OnnxModelVariant.Quantized).Where(c => c.StartsWith(Path.Combine("m", "onnx"), StringComparison.Ordinal)).Select(Path.GetFileName)!];

        Assert.That(names.Take(2), Is.EqualTo(new[] { "model_quantized.onnx", "model_int8.onnx" }), "portable names first");
        int avx2 = Array.IndexOf(names, "model_quint8_avx2.onnx");
        int avx512 = Array.IndexOf(names, "model_qint8_avx512.onnx");
        Assert.That(avx2, Is.GreaterThan(1));
        Assert.That(avx512, Is.GreaterThan(1));
        if (Int8Hardware.SaturatesSignedInt8)
        {
            Assert.That(avx2, Is.LessThan(avx512), "an x86 CPU without VNNI prefers the unsigned AVX2 export");
        }
        else if (Int8Hardware.HasVnni)
        {
            Assert.That(avx512, Is.LessThan(avx2), "a VNNI CPU prefers the AVX-512 export");
        }
    }

    [Test]
    public async Task A_quantized_file_can_be_named_directly()
    {
        using OnnxCrossEncoderReranker reranker = ToyModels.Create(ToyModels.XlmrTwoLabels, o => o.ModelPath = "model_qint8_avx512.onnx");

        RerankResponse response = await reranker.RerankAsync(Query, ToyModels.MixedLengthDocuments(5));

        Assert.That(response.Results, Has.Count.EqualTo(5));
        Assert.That(response.Results.Select(r => r.Score), Is.All.InRange(0.0, 1.0));
    }

    private static async Task<(double[] Reference, double[] Quantized, FakeLogger Logger)> ScoreBothAsync(string directory, string expectedFile)
    {
        string[] documents = ToyModels.MixedLengthDocuments(30, seed: 21);
        var logger = new FakeLogger();
        using OnnxCrossEncoderReranker float32 = ToyModels.Create(directory);
        using OnnxCrossEncoderReranker int8 = ToyModels.Create(directory, o => { o.ModelVariant = OnnxModelVariant.Quantized; o.BatchSize = 7; o.Logger = logger; });
        Assert.That(int8.ModelPath, Is.EqualTo(expectedFile));

        return (await ToyModels.ScoresAsync(float32, Query, documents), await ToyModels.ScoresAsync(int8, Query, documents), logger);
    }
}
