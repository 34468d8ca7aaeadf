namespace Rerank.Onnx;

/// <summary>Which of the ONNX files in a Hugging Face model folder to load.</summary>
/// <remarks>
/// Model repositories on the Hub often carry several exports side by side: <c>onnx/model.onnx</c> (float32),
/// <c>onnx/model_quantized.onnx</c> or <c>onnx/model_int8.onnx</c> and the hardware-specific
/// <c>model_qint8_avx512.onnx</c> / <c>model_quint8_avx2.onnx</c> (8-bit dynamic quantization), and
/// <c>onnx/model_fp16.onnx</c>. To load a file by name instead, set <see cref="OnnxCrossEncoderOptions.ModelPath"/>.
/// </remarks>
public enum OnnxModelVariant
{
    /// <summary>The float32 export: <c>onnx/model.onnx</c>, then <c>model.onnx</c>.</summary>
    Float32,

    /// <summary>
    /// An 8-bit dynamically quantized export, usually 2–4 times faster on CPU at a small cost in accuracy:
    /// <c>model_quantized.onnx</c>, <c>model_int8.onnx</c>, <c>model_qint8_avx512_vnni.onnx</c>,
    /// <c>model_qint8_avx512.onnx</c>, <c>model_quint8_avx2.onnx</c>, <c>model_qint8_arm64.onnx</c> or
    /// <c>model_uint8.onnx</c>, first under <c>onnx/</c> and then in the folder itself.
    /// </summary>
    Quantized,

    /// <summary>The float16 export: <c>onnx/model_fp16.onnx</c>, then <c>model_fp16.onnx</c>. Best on GPUs; slow on most CPUs.</summary>
    Float16,
}
