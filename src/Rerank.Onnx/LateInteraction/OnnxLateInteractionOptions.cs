using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace Rerank.Onnx;

/// <summary>Configures an <see cref="OnnxLateInteractionReranker"/>.</summary>
/// <remarks>
/// <para>
/// Point <see cref="ModelDirectory"/> at a ColBERT checkpoint folder with an ONNX export: a PyLate model
/// (<c>modules.json</c>, <c>config_sentence_transformers.json</c>, the projection in <c>1_Dense/</c>) or a
/// Stanford colbert-ai model (<c>artifact.metadata</c>, the projection as <c>linear.weight</c> in
/// <c>model.safetensors</c>), or an export whose graph already ends in the projection. Every ColBERT setting left
/// <see langword="null"/> here is read from the checkpoint's files, as PyLate reads them, with PyLate's defaults.
/// </para>
/// <para>The options are read once, when the reranker is constructed, and validated there.</para>
/// </remarks>
public sealed class OnnxLateInteractionOptions
{
    /// <summary>Initializes a new instance of the <see cref="OnnxLateInteractionOptions"/> class.</summary>
    public OnnxLateInteractionOptions()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="OnnxLateInteractionOptions"/> class for a model folder.</summary>
    /// <param name="modelDirectory">The checkpoint folder.</param>
    public OnnxLateInteractionOptions(string modelDirectory)
    {
        ModelDirectory = modelDirectory;
    }

    /// <summary>Gets or sets the checkpoint folder.</summary>
    /// <value>A folder holding config.json, the tokenizer files, <c>model.onnx</c> or <c>onnx/model.onnx</c>, and the ColBERT settings and projection files. Required.</value>
    public string? ModelDirectory { get; set; }

    /// <summary>Gets or sets the ONNX file to load, overriding <see cref="ModelVariant"/>.</summary>
    /// <value>An absolute path or a path relative to <see cref="ModelDirectory"/>; <see langword="null"/> (the default) picks the file by <see cref="ModelVariant"/>.</value>
    public string? ModelPath { get; set; }

    /// <summary>Gets or sets which ONNX export of the folder to load.</summary>
    /// <value>The default is <see cref="OnnxModelVariant.Float32"/>. Ignored when <see cref="ModelPath"/> is set.</value>
    public OnnxModelVariant ModelVariant { get; set; } = OnnxModelVariant.Float32;

    /// <summary>Gets or sets the query marker token, inserted after the first special token of every query.</summary>
    /// <value>
    /// <see langword="null"/> (the default) reads <c>query_prefix</c> from config_sentence_transformers.json, else
    /// <c>query_token_id</c> from artifact.metadata (<c>[unused0]</c> for Stanford checkpoints without it), else
    /// PyLate's <c>"[Q] "</c>. The empty string means no marker. The token must be in the vocabulary.
    /// </value>
    public string? QueryPrefix { get; set; }

    /// <summary>Gets or sets the document marker token, inserted after the first special token of every document.</summary>
    /// <value>As <see cref="QueryPrefix"/>: <c>document_prefix</c>, else <c>doc_token_id</c> (<c>[unused1]</c>), else <c>"[D] "</c>.</value>
    public string? DocumentPrefix { get; set; }

    /// <summary>Gets or sets the number of query tokens, special tokens and marker included.</summary>
    /// <value>
    /// <see langword="null"/> (the default) reads <c>query_length</c> (PyLate) or <c>query_maxlen</c> (colbert-ai),
    /// else 32. A longer query is truncated to it (the response reports how many tokens were dropped); a shorter one
    /// is padded with the mask token when <see cref="DoQueryExpansion"/> is on. At least 4.
    /// </value>
    public int? QueryLength { get; set; }

    /// <summary>Gets or sets the most tokens of a document, special tokens and marker included; longer documents are truncated and reported.</summary>
    /// <value><see langword="null"/> (the default) reads <c>document_length</c> or <c>doc_maxlen</c>, else 180. At least 4, at most the model's position embeddings.</value>
    public int? DocumentLength { get; set; }

    /// <summary>Gets or sets whether queries are padded with the mask token to <see cref="QueryLength"/> (ColBERT's query augmentation).</summary>
    /// <value><see langword="null"/> (the default) reads <c>do_query_expansion</c>, else <see langword="true"/>.</value>
    public bool? DoQueryExpansion { get; set; }

    /// <summary>Gets or sets whether the encoder attends to the mask tokens of an expanded query.</summary>
    /// <value><see langword="null"/> (the default) reads <c>attend_to_expansion_tokens</c> or <c>attend_to_mask_tokens</c>, else <see langword="false"/>. Always false without query expansion.</value>
    public bool? AttendToExpansionTokens { get; set; }

    /// <summary>Gets or sets the tokens whose document embeddings are dropped before scoring (the document side only).</summary>
    /// <value>
    /// <see langword="null"/> (the default) reads <c>skiplist_words</c>, else Python's <c>string.punctuation</c>.
    /// Each word is looked up as one token, as <c>convert_tokens_to_ids</c> does: a word missing from the vocabulary
    /// stands for the unknown token.
    /// </value>
    public IReadOnlyList<string>? SkiplistWords { get; set; }

    /// <summary>Gets or sets whether the ONNX graph already ends in the projection to the ColBERT dimension.</summary>
    /// <value>
    /// <see langword="null"/> (the default) decides from the graph: when its output is as wide as the projection's
    /// output, the projection files are not applied again; when it is as wide as the encoder's hidden size, the
    /// projection files are required. <see langword="true"/> uses the graph's output as it is.
    /// </value>
    public bool? ProjectionInGraph { get; set; }

    /// <summary>Gets or sets the most texts the model runs at once.</summary>
    /// <value>The default is 32. Documents are sorted by length first, and each batch is padded only to its longest document.</value>
    public int BatchSize { get; set; } = 32;

    /// <summary>Gets or sets the most bytes of document token embeddings kept in the reranker's own memory cache.</summary>
    /// <value>The default is 64 MiB; the least recently used documents are evicted first. 0 turns the memory cache off.</value>
    public long DocumentCacheBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Gets or sets how document embeddings are written to the distributed cache given to the constructor.</summary>
    /// <value>The default is <see cref="LateInteractionStorageFormat.Float16"/>, half the size of float32 (scores move by about 1e-3).</value>
    public LateInteractionStorageFormat DistributedCacheFormat { get; set; } = LateInteractionStorageFormat.Float16;

    /// <summary>Gets or sets the number of threads ONNX Runtime uses within an operator.</summary>
    /// <value><see langword="null"/> (the default) leaves ONNX Runtime's default. Must not be negative.</value>
    public int? IntraOpNumThreads { get; set; }

    /// <summary>Gets or sets the number of threads ONNX Runtime uses to run independent operators in parallel.</summary>
    /// <value><see langword="null"/> (the default) leaves ONNX Runtime's default. Must not be negative.</value>
    public int? InterOpNumThreads { get; set; }

    /// <summary>Gets or sets a callback that adjusts ONNX Runtime's session options before the session is created (execution providers, graph optimisation).</summary>
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

    /// <summary>Gets or sets the model name reported in responses and metadata.</summary>
    /// <value><see langword="null"/> (the default) derives it from the folder (<c>org/name</c> in the huggingface_hub cache).</value>
    public string? ModelId { get; set; }

    /// <summary>Gets or sets the logger for loading and truncation messages.</summary>
    public ILogger? Logger { get; set; }
}
