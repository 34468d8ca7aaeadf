using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace Rerank.Onnx;

/// <summary>Configures an <see cref="OnnxCrossEncoderReranker"/>.</summary>
/// <remarks>
/// <para>
/// Point <see cref="ModelDirectory"/> at a Hugging Face model folder (a snapshot in the huggingface_hub cache, or a
/// folder made with <c>save_pretrained</c> and an ONNX export). Everything else has a default taken from the model:
/// the ONNX file by <see cref="ModelVariant"/>, the tokenizer (tokenizer.json, vocab.txt or sentencepiece.bpe.model,
/// with tokenizer_config.json), the activation and labels (config.json) and the maximum length.
/// </para>
/// <para>
/// Without a folder, set <see cref="ModelPath"/> and <see cref="TokenizerPath"/>; config.json and
/// tokenizer_config.json are then read from the tokenizer file's folder when they are there.
/// </para>
/// <para>The options are read once, when the reranker is constructed, and validated there.</para>
/// </remarks>
public sealed class OnnxCrossEncoderOptions
{
    /// <summary>Initializes a new instance of the <see cref="OnnxCrossEncoderOptions"/> class.</summary>
    public OnnxCrossEncoderOptions()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="OnnxCrossEncoderOptions"/> class for a model folder.</summary>
    /// <param name="modelDirectory">The Hugging Face model folder.</param>
    public OnnxCrossEncoderOptions(string modelDirectory)
    {
        ModelDirectory = modelDirectory;
    }

    /// <summary>Gets or sets the Hugging Face model folder.</summary>
    /// <value>
    /// A folder holding config.json, the tokenizer files and <c>model.onnx</c> or <c>onnx/model.onnx</c>.
    /// <see langword="null"/> when <see cref="ModelPath"/> and <see cref="TokenizerPath"/> are given instead.
    /// </value>
    public string? ModelDirectory { get; set; }

    /// <summary>Gets or sets the ONNX file to load, overriding <see cref="ModelVariant"/>.</summary>
    /// <value>An absolute path, or a path relative to <see cref="ModelDirectory"/> (such as <c>onnx/model_qint8_avx512.onnx</c>). <see langword="null"/> (the default) picks the file by <see cref="ModelVariant"/>.</value>
    public string? ModelPath { get; set; }

    /// <summary>Gets or sets the tokenizer file to load (tokenizer.json, vocab.txt or a sentencepiece model).</summary>
    /// <value>An absolute path, or a path relative to <see cref="ModelDirectory"/>. <see langword="null"/> (the default) finds it in <see cref="ModelDirectory"/>.</value>
    public string? TokenizerPath { get; set; }

    /// <summary>Gets or sets which ONNX export of the model folder to load.</summary>
    /// <value>The default is <see cref="OnnxModelVariant.Float32"/>. Ignored when <see cref="ModelPath"/> is set.</value>
    public OnnxModelVariant ModelVariant { get; set; } = OnnxModelVariant.Float32;

    /// <summary>Gets or sets the most tokens of a (query, document) pair, special tokens included; longer pairs are truncated, longest side first.</summary>
    /// <value>
    /// <see langword="null"/> (the default) uses the model's own limit: the smallest of tokenizer_config.json's
    /// <c>model_max_length</c>, the model's position embeddings (config.json's <c>max_position_embeddings</c>, less
    /// the padding offset of RoBERTa-family models) and 512. A value must be at least the pair's special tokens (3 for
    /// BERT, 4 for XLM-R) and may not exceed the position embeddings.
    /// </value>
    public int? MaxLength { get; set; }

    /// <summary>Gets or sets the most pairs the model runs at once.</summary>
    /// <value>The default is 32. Pairs are sorted by length first, and each batch is padded only to its longest pair.</value>
    public int BatchSize { get; set; } = 32;

    /// <summary>Gets or sets the number of threads ONNX Runtime uses within an operator.</summary>
    /// <value><see langword="null"/> (the default) leaves ONNX Runtime's default, one thread per physical core. Must not be negative; 0 also means the default.</value>
    public int? IntraOpNumThreads { get; set; }

    /// <summary>Gets or sets the number of threads ONNX Runtime uses to run independent operators in parallel.</summary>
    /// <value><see langword="null"/> (the default) leaves ONNX Runtime's default. Must not be negative. Only matters with parallel execution, which <see cref="ConfigureSessionOptions"/> can turn on.</value>
    public int? InterOpNumThreads { get; set; }

    /// <summary>Gets or sets the activation applied to the model's logits, overriding the model's.</summary>
    /// <value>
    /// <see langword="null"/> (the default) applies what sentence-transformers would: config.json's
    /// <c>sentence_transformers.activation_fn</c> or <c>sbert_ce_default_activation_function</c> if set, otherwise
    /// <see cref="CrossEncoderActivation.Sigmoid"/> for one label and <see cref="CrossEncoderActivation.Softmax"/>
    /// for two or more. <see cref="CrossEncoderActivation.Softmax"/> is rejected for a one-label model.
    /// </value>
    public CrossEncoderActivation? Activation { get; set; }

    /// <summary>Gets or sets which label's value is the score, for a model with two or more labels.</summary>
    /// <value>
    /// <see langword="null"/> (the default) takes the label config.json's <c>id2label</c> names relevant
    /// (<c>relevant</c>, <c>positive</c>, <c>yes</c>, <c>true</c>, <c>entailment</c>, <c>LABEL_1</c>, <c>1</c>), or the
    /// second label of a two-label model. A model with more labels and none of those names requires this setting.
    /// Ignored for a one-label model.
    /// </value>
    public int? LabelIndex { get; set; }

    /// <summary>Gets or sets a callback that adjusts ONNX Runtime's session options after the reranker has set its own (graph optimisation, threads).</summary>
    /// <value>Use it to add an execution provider, turn on profiling, or save the optimised graph. <see langword="null"/> by default.</value>
    public Action<SessionOptions>? ConfigureSessionOptions { get; set; }

    /// <summary>Gets or sets the execution providers to run the model on (GPUs and other accelerators), most preferred first.</summary>
    /// <value>
    /// <see langword="null"/> or empty (the default) runs on the CPU. Every listed provider that the referenced ONNX
    /// Runtime build has and that starts is added, in order: each node runs on the first of them that supports it, and
    /// on the CPU otherwise. A provider that is unavailable is logged as a warning when another one (or the CPU, with
    /// <see cref="AllowCpuFallback"/>) takes over; when none is available and <see cref="AllowCpuFallback"/> is off,
    /// the constructor throws <see cref="OnnxExecutionProviderException"/>. Applied before <see cref="ConfigureSessionOptions"/>.
    /// See docs/gpu.md for the packages each provider needs.
    /// </value>
    public IReadOnlyList<OnnxExecutionProvider>? ExecutionProviders { get; set; }

    /// <summary>Gets or sets a value indicating whether the model may run on the CPU when none of the <see cref="ExecutionProviders"/> is available.</summary>
    /// <value>
    /// <see langword="false"/> (the default): an unavailable provider is an <see cref="OnnxExecutionProviderException"/>, so
    /// a GPU deployment never runs on the CPU unnoticed. <see langword="true"/>: the model runs on the CPU and
    /// <see cref="Logger"/> gets a warning naming each provider and why it was unavailable (set a logger to see it).
    /// </value>
    public bool AllowCpuFallback { get; set; }

    /// <summary>Gets or sets the model's name, reported in <see cref="RerankResponse.ModelId"/> and <see cref="RerankerMetadata"/>.</summary>
    /// <value>
    /// <see langword="null"/> (the default) derives it: <c>org/name</c> from a huggingface_hub cache path
    /// (<c>models--org--name/snapshots/…</c>), otherwise the folder's name.
    /// </value>
    public string? ModelId { get; set; }

    /// <summary>Gets or sets the logger that reports truncated documents and model-loading decisions.</summary>
    /// <value><see langword="null"/> (the default) logs nothing.</value>
    public ILogger? Logger { get; set; }
}
