namespace Rerank.Onnx;

/// <summary>The function a cross-encoder applies to the model's logits to make a relevance score.</summary>
/// <remarks>
/// The default is what sentence-transformers' <c>CrossEncoder.predict</c> applies to the same model: the activation
/// named in config.json (<c>sentence_transformers.activation_fn</c>, or the older
/// <c>sbert_ce_default_activation_function</c>); otherwise <see cref="Sigmoid"/> for a model with one label.
/// For a model with two or more labels sentence-transformers returns the whole logit vector; a reranker needs one
/// number, so the default there is <see cref="Softmax"/> and the probability of the relevant label
/// (see <see cref="OnnxCrossEncoderOptions.LabelIndex"/>).
/// </remarks>
public enum CrossEncoderActivation
{
    /// <summary>The raw logit, unchanged (<c>torch.nn.Identity</c>). Scores are unbounded.</summary>
    Identity,

    /// <summary>The logistic function, 1 / (1 + e^-x) (<c>torch.nn.Sigmoid</c>). Scores lie in (0, 1).</summary>
    Sigmoid,

    /// <summary>Softmax over the labels of each pair (<c>torch.nn.Softmax</c>); for a single label it is always 1, so it is rejected there.</summary>
    Softmax,
}
