using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace Rerank.Onnx;

/// <summary>Configures an <see cref="OnnxEmbeddingGenerator"/>.</summary>
/// <remarks>
/// <para>
/// Point <see cref="ModelDirectory"/> at a sentence-transformers model folder with an ONNX export (a snapshot in the
/// huggingface_hub cache, or a folder made with <c>save_pretrained</c>). Everything else has a default read from the
/// folder, as sentence-transformers reads it: the pooling from <c>modules.json</c> and <c>1_Pooling/config.json</c>,
/// normalisation from a <c>Normalize</c> module, the maximum length from <c>sentence_bert_config.json</c>, and the
/// prompts from <c>config_sentence_transformers.json</c>.
/// </para>
/// <para>The options are read once, when the generator is constructed, and validated there.</para>
/// </remarks>
public sealed class OnnxEmbeddingGeneratorOptions
{
    /// <summary>Initializes a new instance of the <see cref="OnnxEmbeddingGeneratorOptions"/> class.</summary>
    public OnnxEmbeddingGeneratorOptions()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="OnnxEmbeddingGeneratorOptions"/> class for a model folder.</summary>
    /// <param name="modelDirectory">The model folder.</param>
    public OnnxEmbeddingGeneratorOptions(string modelDirectory)
    {
        ModelDirectory = modelDirectory;
    }

    /// <summary>Gets or sets the model folder.</summary>
    /// <value>A folder holding config.json, the tokenizer files and <c>model.onnx</c> or <c>onnx/model.onnx</c>; <see langword="null"/> when <see cref="ModelPath"/> and <see cref="TokenizerPath"/> are given instead.</value>
    public string? ModelDirectory { get; set; }

    /// <summary>Gets or sets the ONNX file to load, overriding <see cref="ModelVariant"/>.</summary>
    /// <value>An absolute path, or a path relative to <see cref="ModelDirectory"/>. <see langword="null"/> (the default) picks the file by <see cref="ModelVariant"/>.</value>
    public string? ModelPath { get; set; }

    /// <summary>Gets or sets the tokenizer file to load (tokenizer.json, vocab.txt or a sentencepiece model).</summary>
    /// <value>An absolute path, or a path relative to <see cref="ModelDirectory"/>. <see langword="null"/> (the default) finds it in the folder.</value>
    public string? TokenizerPath { get; set; }

    /// <summary>Gets or sets which ONNX export of the folder to load.</summary>
    /// <value>The default is <see cref="OnnxModelVariant.Float32"/>; <see cref="OnnxModelVariant.Quantized"/> loads the int8 export. Ignored when <see cref="ModelPath"/> is set.</value>
    public OnnxModelVariant ModelVariant { get; set; } = OnnxModelVariant.Float32;

    /// <summary>Gets or sets the most tokens of one text, special tokens and prompt included; longer texts are truncated at the end.</summary>
    /// <value>
    /// <see langword="null"/> (the default) uses <c>max_seq_length</c> from sentence_bert_config.json, else the smallest
    /// of tokenizer_config.json's <c>model_max_length</c>, the position embeddings and 512. At least 2; at most the position embeddings.
    /// </value>
    public int? MaxLength { get; set; }

    /// <summary>Gets or sets the pooling, overriding the folder's <c>1_Pooling/config.json</c>.</summary>
    /// <value>
    /// <see langword="null"/> (the default) reads it from the folder; a folder without a pooling configuration gets
    /// <see cref="EmbeddingPooling.Mean"/>, as sentence-transformers gives it, and the logger is told.
    /// </value>
    public EmbeddingPooling? Pooling { get; set; }

    /// <summary>Gets or sets whether embeddings are scaled to unit length, overriding the folder's <c>Normalize</c> module.</summary>
    /// <value><see langword="null"/> (the default) normalises when modules.json lists a <c>Normalize</c> module.</value>
    public bool? Normalize { get; set; }

    /// <summary>Gets or sets the name of the prompt (from config_sentence_transformers.json's <c>prompts</c>) used when a call names none.</summary>
    /// <value><see langword="null"/> (the default) uses the file's <c>default_prompt_name</c>, or no prompt. A call picks one with <see cref="OnnxEmbeddingGenerator.PromptNameProperty"/>.</value>
    public string? DefaultPromptName { get; set; }

    /// <summary>Gets or sets the most texts the model runs at once.</summary>
    /// <value>The default is 32. Texts are sorted by length first, and each batch is padded only to its longest text.</value>
    public int BatchSize { get; set; } = 32;

    /// <summary>Gets or sets the number of threads ONNX Runtime uses within an operator.</summary>
    /// <value><see langword="null"/> (the default) leaves ONNX Runtime's default. Must not be negative.</value>
    public int? IntraOpNumThreads { get; set; }

    /// <summary>Gets or sets the number of threads ONNX Runtime uses to run independent operators in parallel.</summary>
    /// <value><see langword="null"/> (the default) leaves ONNX Runtime's default. Must not be negative.</value>
    public int? InterOpNumThreads { get; set; }

    /// <summary>Gets or sets a callback that adjusts ONNX Runtime's session options after the generator has set its own.</summary>
    /// <value>Use it to add an execution provider or turn on profiling. <see langword="null"/> by default.</value>
    public Action<SessionOptions>? ConfigureSessionOptions { get; set; }

    /// <summary>Gets or sets the execution providers to run the model on (GPUs and other accelerators), most preferred first.</summary>
    /// <value>
    /// <see langword="null"/> or empty (the default) runs on the CPU. As <see cref="OnnxCrossEncoderOptions.ExecutionProviders"/>:
    /// every listed provider that the referenced ONNX Runtime build has and that starts is added, in order; when none is
    /// available and <see cref="AllowCpuFallback"/> is off, the constructor throws <see cref="OnnxExecutionProviderException"/>.
    /// Applied before <see cref="ConfigureSessionOptions"/>. See docs/gpu.md for the packages each provider needs.
    /// </value>
    public IReadOnlyList<OnnxExecutionProvider>? ExecutionProviders { get; set; }

    /// <summary>Gets or sets a value indicating whether the model may run on the CPU when none of the <see cref="ExecutionProviders"/> is available.</summary>
    /// <value>
    /// <see langword="false"/> (the default): an unavailable provider is an <see cref="OnnxExecutionProviderException"/>, so
    /// a GPU deployment never runs on the CPU unnoticed. <see langword="true"/>: the model runs on the CPU and
    /// <see cref="Logger"/> gets a warning naming each provider and why it was unavailable.
    /// </value>
    public bool AllowCpuFallback { get; set; }

    /// <summary>Gets or sets the model's name, reported in <see cref="Microsoft.Extensions.AI.EmbeddingGeneratorMetadata"/> and on each embedding.</summary>
    /// <value><see langword="null"/> (the default) derives it: <c>org/name</c> from a huggingface_hub cache path, otherwise the folder's name.</value>
    public string? ModelId { get; set; }

    /// <summary>Gets or sets the logger that reports truncated texts and model-loading decisions.</summary>
    /// <value><see langword="null"/> (the default) logs nothing.</value>
    public ILogger? Logger { get; set; }
}
