using System.Buffers;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Rerank.Onnx.Inference;

/// <summary>
/// Finds and reads the per-token output of an encoder graph ([batch, tokens, width], float or float16), for the embedding
/// generator's and the late-interaction reranker's sessions.
/// </summary>
internal static class TokenOutputs
{
    /// <summary>Picks the first of <paramref name="preferred"/> that the graph outputs, else its first 3-D tensor output, and checks it.</summary>
    /// <param name="session">The loaded session.</param>
    /// <param name="modelPath">The ONNX file, for the message.</param>
    /// <param name="preferred">Output names in order of preference.</param>
    /// <param name="missing">Makes the error message from the list of the graph's outputs.</param>
    /// <returns>The output's name, and its width when the graph states it.</returns>
    /// <exception cref="OnnxModelLoadException">No output is a float tensor shaped [batch, tokens, width].</exception>
    public static (string Name, int? Width) Find(InferenceSession session, string modelPath, IReadOnlyList<string> preferred, Func<string, string> missing)
    {
        string? name = preferred.FirstOrDefault(session.OutputMetadata.ContainsKey)
            ?? session.OutputMetadata.FirstOrDefault(o => o.Value.IsTensor && o.Value.Dimensions.Length == 3).Key;
        if (name is null
            || session.OutputMetadata[name] is not { IsTensor: true } output
            || output.Dimensions.Length != 3
            || output.ElementDataType is not (TensorElementType.Float or TensorElementType.Float16))
        {
            throw new OnnxModelLoadException(
                missing(string.Join(", ", session.OutputMetadata.Select(o => $"{o.Key}[{string.Join(", ", o.Value.Dimensions)}]"))),
                modelPath);
        }

        return (name, output.Dimensions[2] > 0 ? output.Dimensions[2] : null);
    }

    /// <summary>The output's values as floats: float32 in place, float16 converted into a buffer rented into <paramref name="rented"/>.</summary>
    /// <param name="output">The run's output.</param>
    /// <param name="rented">Receives the rented buffer, if any; the caller returns it to <see cref="ArrayPool{T}.Shared"/> when done with the span.</param>
    /// <returns>The values.</returns>
    public static ReadOnlySpan<float> ReadFloats(OrtValue output, ref float[]? rented)
    {
        if (output.GetTensorTypeAndShape().ElementDataType != TensorElementType.Float16)
        {
            return output.GetTensorDataAsSpan<float>();
        }

        ReadOnlySpan<Float16> halves = output.GetTensorDataAsSpan<Float16>();
        rented = ArrayPool<float>.Shared.Rent(halves.Length);
        for (int i = 0; i < halves.Length; i++)
        {
            rented[i] = halves[i].ToFloat();
        }

        return rented.AsSpan(0, halves.Length);
    }
}
