using System.Numerics.Tensors;
using System.Text.Json;
using Rerank.Onnx.Model;

namespace Rerank.Onnx.LateInteraction;

/// <summary>
/// A linear projection applied to every token embedding after the encoder: PyLate's <c>Dense</c> (and
/// sentence-transformers' <c>Dense</c> it derives from), <c>activation(W·x + b)</c>, plus PyLate's optional residual.
/// </summary>
internal sealed class DenseLayer
{
    private readonly float[] _weight;
    private readonly float[]? _bias;
    private readonly float[]? _residual;
    private readonly bool _tanh;

    private DenseLayer(int inFeatures, int outFeatures, float[] weight, float[]? bias, bool tanh, float[]? residual, bool identityResidual, string source)
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        _weight = weight;
        _bias = bias;
        _tanh = tanh;
        _residual = residual;
        IdentityResidual = identityResidual;
        Source = source;
    }

    /// <summary>Gets the input width.</summary>
    public int InFeatures { get; }

    /// <summary>Gets the output width.</summary>
    public int OutFeatures { get; }

    /// <summary>Gets the file the weights came from.</summary>
    public string Source { get; }

    private bool IdentityResidual { get; }

    /// <summary>Reads a sentence-transformers/PyLate Dense folder: config.json and model.safetensors.</summary>
    /// <param name="folder">The module folder, such as <c>1_Dense</c>.</param>
    /// <param name="pylate">Whether modules.json names PyLate's Dense, whose default activation is the identity (sentence-transformers' is tanh).</param>
    /// <returns>The layer.</returns>
    /// <exception cref="OnnxModelNotFoundException">A file of the folder is missing.</exception>
    /// <exception cref="OnnxModelLoadException">A file is malformed or names an activation this library does not implement.</exception>
    public static DenseLayer LoadModule(string folder, bool pylate)
    {
        string configPath = Path.Combine(folder, "config.json");
        string weightsPath = Path.Combine(folder, "model.safetensors");
        if (!File.Exists(configPath) || !File.Exists(weightsPath))
        {
            string[] missing = [.. new[] { configPath, weightsPath }.Where(p => !File.Exists(p))];
            string hint = File.Exists(Path.Combine(folder, "pytorch_model.bin"))
                ? "The projection is stored as pytorch_model.bin, which cannot be read without torch: re-save the model with safe_serialization=True (the default of current sentence-transformers), or export the projection inside the ONNX graph and set OnnxLateInteractionOptions.ProjectionInGraph."
                : "modules.json names this Dense module: copy the checkpoint's projection folder, or export the projection inside the ONNX graph and set OnnxLateInteractionOptions.ProjectionInGraph.";
            throw new OnnxModelNotFoundException("ColBERT projection", missing, hint);
        }

        using JsonDocument config = JsonFiles.Parse(configPath);
        JsonElement root = config.RootElement;
        int inFeatures = JsonFiles.GetInt(root, "in_features") ?? throw new OnnxModelLoadException($"'{configPath}' has no in_features.", configPath);
        int outFeatures = JsonFiles.GetInt(root, "out_features") ?? throw new OnnxModelLoadException($"'{configPath}' has no out_features.", configPath);
        bool bias = !root.TryGetProperty("bias", out JsonElement biasElement) || biasElement.ValueKind != JsonValueKind.False;
        bool residual = root.TryGetProperty("use_residual", out JsonElement r) && r.ValueKind == JsonValueKind.True;
        string activation = JsonFiles.GetString(root, "activation_function")
            ?? (pylate ? "torch.nn.modules.linear.Identity" : "torch.nn.modules.activation.Tanh");
        bool tanh = activation switch
        {
            "torch.nn.modules.linear.Identity" or "torch.nn.Identity" => false,
            "torch.nn.modules.activation.Tanh" or "torch.nn.Tanh" => true,
            _ => throw new OnnxModelLoadException($"'{configPath}' names the activation '{activation}'; the late-interaction reranker implements Identity and Tanh projections.", configPath),
        };

        float[] weight = ReadMatrix(weightsPath, "linear.weight", outFeatures, inFeatures);
        float[]? biasValues = null;
        if (bias)
        {
            biasValues = SafeTensorsFile.TryRead(weightsPath, "linear.bias", out long[] shape)
                ?? throw new OnnxModelLoadException($"'{configPath}' says the projection has a bias, but '{weightsPath}' has no linear.bias.", weightsPath);
            if (shape.Length != 1 || shape[0] != outFeatures)
            {
                throw new OnnxModelLoadException($"'{weightsPath}' has linear.bias shaped [{string.Join(", ", shape)}]; expected [{outFeatures}].", weightsPath);
            }
        }

        float[]? residualWeight = residual && inFeatures != outFeatures ? ReadMatrix(weightsPath, "residual.weight", outFeatures, inFeatures) : null;
        return new DenseLayer(inFeatures, outFeatures, weight, biasValues, tanh, residualWeight, residual && inFeatures == outFeatures, weightsPath);
    }

    /// <summary>Reads the projection of a Stanford colbert-ai checkpoint: <c>linear.weight</c> in its <c>model.safetensors</c>, no bias, no activation.</summary>
    /// <param name="weightsPath">The checkpoint's model.safetensors.</param>
    /// <returns>The layer.</returns>
    public static DenseLayer LoadStanford(string weightsPath)
    {
        if (!File.Exists(weightsPath))
        {
            throw new OnnxModelNotFoundException("ColBERT projection", [weightsPath],
                "A colbert-ai (HF_ColBERT) checkpoint keeps its projection as linear.weight in model.safetensors: copy that file into the folder, or export the projection inside the ONNX graph and set OnnxLateInteractionOptions.ProjectionInGraph.");
        }

        float[] weight = SafeTensorsFile.TryRead(weightsPath, "linear.weight", out long[] shape)
            ?? throw new OnnxModelLoadException($"'{weightsPath}' has no linear.weight, the projection of a colbert-ai checkpoint.", weightsPath);
        if (shape.Length != 2)
        {
            throw new OnnxModelLoadException($"'{weightsPath}' has linear.weight shaped [{string.Join(", ", shape)}]; expected [dim, hidden].", weightsPath);
        }

        return new DenseLayer((int)shape[1], (int)shape[0], weight, null, tanh: false, residual: null, identityResidual: false, weightsPath);
    }

    /// <summary>Projects one vector.</summary>
    /// <param name="input">InFeatures values.</param>
    /// <param name="output">Receives OutFeatures values.</param>
    public void Apply(ReadOnlySpan<float> input, Span<float> output)
    {
        int n = InFeatures;
        for (int o = 0; o < OutFeatures; o++)
        {
            output[o] = TensorPrimitives.Dot(_weight.AsSpan(o * n, n), input);
        }

        if (_bias is not null)
        {
            TensorPrimitives.Add(output[..OutFeatures], _bias, output);
        }

        if (_tanh)
        {
            TensorPrimitives.Tanh(output[..OutFeatures], output);
        }

        if (IdentityResidual)
        {
            TensorPrimitives.Add(output[..OutFeatures], input, output);
        }
        else if (_residual is not null)
        {
            for (int o = 0; o < OutFeatures; o++)
            {
                output[o] += TensorPrimitives.Dot(_residual.AsSpan(o * n, n), input);
            }
        }
    }

    private static float[] ReadMatrix(string path, string name, int rows, int columns)
    {
        float[] values = SafeTensorsFile.TryRead(path, name, out long[] shape)
            ?? throw new OnnxModelLoadException($"'{path}' has no {name}.", path);
        if (shape.Length != 2 || shape[0] != rows || shape[1] != columns)
        {
            throw new OnnxModelLoadException($"'{path}' has {name} shaped [{string.Join(", ", shape)}]; its config.json says [{rows}, {columns}].", path);
        }

        return values;
    }
}
