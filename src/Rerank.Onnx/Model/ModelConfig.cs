using System.Globalization;
using System.Text.Json;

namespace Rerank.Onnx.Model;

/// <summary>What a cross-encoder needs from a Hugging Face config.json.</summary>
internal sealed class ModelConfig
{
    /// <summary>The configuration of a folder without config.json: every value unknown.</summary>
    public static readonly ModelConfig Empty = new();

    /// <summary>Gets the model family (<c>bert</c>, <c>xlm-roberta</c>, ...), if given.</summary>
    public string? ModelType { get; private init; }

    /// <summary>Gets the number of labels: the size of <c>id2label</c>, else <c>num_labels</c>, if given (transformers lets id2label win).</summary>
    public int? NumLabels { get; private init; }

    /// <summary>Gets the label names by id; empty if not given.</summary>
    public IReadOnlyDictionary<int, string> Id2Label { get; private init; } = new Dictionary<int, string>();

    /// <summary>Gets the activation class path sentence-transformers stored (<c>torch.nn.modules.activation.Sigmoid</c>), if any.</summary>
    public string? ActivationFunction { get; private init; }

    /// <summary>Gets the number of position embeddings, if given.</summary>
    public int? MaxPositionEmbeddings { get; private init; }

    /// <summary>Gets the hidden size, if given.</summary>
    public int? HiddenSize { get; private init; }

    /// <summary>Gets the padding token id, if given.</summary>
    public int? PadTokenId { get; private init; }

    /// <summary>Gets the file the configuration came from, or <see langword="null"/> for <see cref="Empty"/>.</summary>
    public string? Path { get; private init; }

    /// <summary>
    /// Gets how many tokens of <see cref="MaxPositionEmbeddings"/> a pair can use. RoBERTa-family models number
    /// positions from <c>padding_idx + 1</c>, so they lose that many (514 positions give 512 tokens).
    /// </summary>
    public int? UsablePositions
    {
        get
        {
            if (MaxPositionEmbeddings is not int positions)
            {
                return null;
            }

            bool robertaFamily = ModelType is { } type
                && (type.Contains("roberta", StringComparison.OrdinalIgnoreCase) || type.Equals("camembert", StringComparison.OrdinalIgnoreCase));
            return robertaFamily ? positions - ((PadTokenId ?? 1) + 1) : positions;
        }
    }

    /// <summary>Reads config.json.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="OnnxModelLoadException">The file is not valid JSON or a value has the wrong type.</exception>
    public static ModelConfig Load(string path)
    {
        using JsonDocument document = JsonFiles.Parse(path);
        JsonElement root = document.RootElement;
        try
        {
            var id2label = new Dictionary<int, string>();
            if (root.TryGetProperty("id2label", out JsonElement labels) && labels.ValueKind == JsonValueKind.Object)
            {
                foreach (JsonProperty label in labels.EnumerateObject())
                {
                    if (int.TryParse(label.Name, NumberStyles.Integer, CultureInfo.InvariantCulture, out int id))
                    {
                        id2label[id] = label.Value.ValueKind == JsonValueKind.String ? label.Value.GetString()! : label.Value.ToString();
                    }
                }
            }

            string? activation = null;
            if (root.TryGetProperty("sentence_transformers", out JsonElement st) && st.ValueKind == JsonValueKind.Object
                && st.TryGetProperty("activation_fn", out JsonElement fn) && fn.ValueKind == JsonValueKind.String)
            {
                activation = fn.GetString();
            }
            else if (root.TryGetProperty("sbert_ce_default_activation_function", out JsonElement legacy) && legacy.ValueKind == JsonValueKind.String)
            {
                activation = legacy.GetString();
            }

            // transformers' PretrainedConfig: id2label decides, and a disagreeing num_labels is overwritten (with a warning).
            int? numLabels = id2label.Count > 0 ? id2label.Count : JsonFiles.GetInt(root, "num_labels");
            return new ModelConfig
            {
                Path = path,
                ModelType = JsonFiles.GetString(root, "model_type"),
                NumLabels = numLabels,
                Id2Label = id2label,
                ActivationFunction = activation,
                MaxPositionEmbeddings = JsonFiles.GetInt(root, "max_position_embeddings"),
                PadTokenId = JsonFiles.GetInt(root, "pad_token_id"),
                HiddenSize = JsonFiles.GetInt(root, "hidden_size") ?? JsonFiles.GetInt(root, "dim"),
            };
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException)
        {
            throw new OnnxModelLoadException($"'{path}' has a value of the wrong type: {ex.Message}", path, ex);
        }
    }
}
