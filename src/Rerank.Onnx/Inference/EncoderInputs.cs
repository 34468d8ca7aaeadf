using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Rerank.Onnx.Inference;

/// <summary>
/// Reads and checks the inputs of a transformer encoder graph that returns per-token states (the embedding generator's
/// and the late-interaction reranker's): input_ids and attention_mask, optionally token_type_ids, all int64 or all int32.
/// </summary>
internal static class EncoderInputs
{
    /// <summary>Finds the graph's inputs in its own order and their element type.</summary>
    /// <param name="session">The loaded session.</param>
    /// <param name="modelPath">The ONNX file, for messages.</param>
    /// <param name="modelKind">What the model is used as, for messages (for example "an embedding model").</param>
    /// <returns>The input names in the graph's order, and whether they are int32 rather than int64.</returns>
    /// <exception cref="OnnxModelLoadException">An input is unknown, of another type, or a required one is missing.</exception>
    public static (string[] Names, bool Int32) Discover(InferenceSession session, string modelPath, string modelKind)
    {
        var names = new List<string>();
        TensorElementType? inputType = null;
        foreach ((string name, NodeMetadata metadata) in session.InputMetadata)
        {
            if (name is not ("input_ids" or "attention_mask" or "token_type_ids"))
            {
                throw new OnnxModelLoadException(
                    $"'{modelPath}' has an input '{name}' that {modelKind} is not fed; expected input_ids, attention_mask and optionally token_type_ids (inputs: {string.Join(", ", session.InputMetadata.Keys)}).",
                    modelPath);
            }

            TensorElementType type = metadata.IsTensor ? metadata.ElementDataType : TensorElementType.DataTypeMax;
            if (type is not (TensorElementType.Int64 or TensorElementType.Int32) || (inputType is { } previous && previous != type))
            {
                throw new OnnxModelLoadException($"'{modelPath}' takes input '{name}' as {type}; the inputs of {modelKind} must all be int64 (or all int32) tensors.", modelPath);
            }

            inputType = type;
            names.Add(name);
        }

        if (!names.Contains("input_ids") || !names.Contains("attention_mask"))
        {
            throw new OnnxModelLoadException($"'{modelPath}' is not a transformer encoder: it needs the inputs input_ids and attention_mask, and has {string.Join(", ", session.InputMetadata.Keys)}.", modelPath);
        }

        return ([.. names], inputType == TensorElementType.Int32);
    }
}
