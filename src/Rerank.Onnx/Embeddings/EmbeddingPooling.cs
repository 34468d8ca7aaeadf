namespace Rerank.Onnx;

/// <summary>How <see cref="OnnxEmbeddingGenerator"/> turns the model's token embeddings into one vector, as sentence-transformers' <c>Pooling</c> module does.</summary>
/// <remarks>
/// A model folder states its pooling in <c>1_Pooling/config.json</c> (<c>pooling_mode_mean_tokens</c>,
/// <c>pooling_mode_cls_token</c>, ...); use <see cref="OnnxEmbeddingGeneratorOptions.Pooling"/> only to override it.
/// Padding never counts: every mode looks only at the text's own tokens (special tokens included, as in sentence-transformers).
/// </remarks>
public enum EmbeddingPooling
{
    /// <summary>The average of the token embeddings (all-MiniLM, e5, gte, nomic): <c>pooling_mode_mean_tokens</c>.</summary>
    Mean,

    /// <summary>The embedding of the first token, [CLS] or &lt;s&gt; (bge, arctic-embed): <c>pooling_mode_cls_token</c>.</summary>
    Cls,

    /// <summary>The element-wise maximum over the tokens: <c>pooling_mode_max_tokens</c>.</summary>
    Max,

    /// <summary>The sum of the token embeddings divided by the square root of their number: <c>pooling_mode_mean_sqrt_len_tokens</c>.</summary>
    MeanSqrtLength,

    /// <summary>The embedding of the last real token (decoder embedding models such as e5-mistral, Qwen3-Embedding): <c>pooling_mode_lasttoken</c>.</summary>
    LastToken,
}
