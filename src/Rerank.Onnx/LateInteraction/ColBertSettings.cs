using System.Text.Json;
using Rerank.Onnx.Model;

namespace Rerank.Onnx.LateInteraction;

/// <summary>
/// The ColBERT settings of a checkpoint, resolved as PyLate's <c>ColBERT.__init__</c> resolves them: the caller's
/// value, else config_sentence_transformers.json (PyLate), else artifact.metadata (colbert-ai), else PyLate's default.
/// </summary>
internal sealed class ColBertSettings
{
    /// <summary>Python's <c>string.punctuation</c>, PyLate's default skiplist.</summary>
    public static readonly IReadOnlyList<string> Punctuation = [.. "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".Select(c => c.ToString())];

    public required string QueryPrefix { get; init; }

    public required string DocumentPrefix { get; init; }

    public required int QueryLength { get; init; }

    public required int DocumentLength { get; init; }

    public required bool DoQueryExpansion { get; init; }

    public required bool AttendToExpansionTokens { get; init; }

    public required IReadOnlyList<string> SkiplistWords { get; init; }

    /// <summary>Gets the projection modules modules.json lists, in order (empty when it lists none).</summary>
    public required IReadOnlyList<DenseLayer> Projection { get; init; }

    /// <summary>Gets a value indicating whether the checkpoint is a colbert-ai (HF_ColBERT) one.</summary>
    public required bool Stanford { get; init; }

    /// <summary>Reads the settings of a checkpoint folder.</summary>
    /// <param name="directory">The folder.</param>
    /// <param name="options">The caller's overrides.</param>
    /// <returns>The settings.</returns>
    public static ColBertSettings Load(string directory, OnnxLateInteractionOptions options)
    {
        JsonElement? pylate = ReadOptional(Path.Combine(directory, "config_sentence_transformers.json"));
        bool stanford = IsStanford(Path.Combine(directory, "config.json"));
        JsonElement? metadata = stanford ? ReadOptional(Path.Combine(directory, "artifact.metadata")) : null;

        string? Text(string pylateName, string stanfordName) =>
            pylate is { } p && p.TryGetProperty(pylateName, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString()
            : metadata is { } m && m.TryGetProperty(stanfordName, out JsonElement s) && s.ValueKind == JsonValueKind.String ? s.GetString()
            : null;
        int? Number(string pylateName, string stanfordName) =>
            (pylate is { } p ? JsonFiles.GetInt(p, pylateName) : null) ?? (metadata is { } m ? JsonFiles.GetInt(m, stanfordName) : null);
        bool? Flag(string pylateName, string? stanfordName) =>
            pylate is { } p && p.TryGetProperty(pylateName, out JsonElement v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean()
            : stanfordName is not null && metadata is { } m && m.TryGetProperty(stanfordName, out JsonElement s) && s.ValueKind is JsonValueKind.True or JsonValueKind.False ? s.GetBoolean()
            : null;

        IReadOnlyList<string>? skiplist = null;
        if (pylate is { } config && config.TryGetProperty("skiplist_words", out JsonElement words) && words.ValueKind == JsonValueKind.Array)
        {
            skiplist = [.. words.EnumerateArray().Where(w => w.ValueKind == JsonValueKind.String).Select(w => w.GetString()!)];
        }

        bool expansion = options.DoQueryExpansion ?? Flag("do_query_expansion", null) ?? true;
        return new ColBertSettings
        {
            QueryPrefix = options.QueryPrefix ?? Text("query_prefix", "query_token_id") ?? (stanford ? "[unused0]" : "[Q] "),
            DocumentPrefix = options.DocumentPrefix ?? Text("document_prefix", "doc_token_id") ?? (stanford ? "[unused1]" : "[D] "),
            QueryLength = options.QueryLength ?? Number("query_length", "query_maxlen") ?? 32,
            DocumentLength = options.DocumentLength ?? Number("document_length", "doc_maxlen") ?? 180,
            DoQueryExpansion = expansion,

            // PyLate: without query expansion there are no expansion tokens to attend to.
            AttendToExpansionTokens = expansion && (options.AttendToExpansionTokens ?? Flag("attend_to_expansion_tokens", "attend_to_mask_tokens") ?? false),
            SkiplistWords = options.SkiplistWords ?? skiplist ?? Punctuation,
            Projection = LoadProjection(directory),
            Stanford = stanford,
        };
    }

    private static IReadOnlyList<DenseLayer> LoadProjection(string directory)
    {
        string modulesPath = Path.Combine(directory, "modules.json");
        if (!File.Exists(modulesPath))
        {
            return [];
        }

        using JsonDocument modules = JsonFiles.Parse(modulesPath);
        if (modules.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new OnnxModelLoadException($"'{modulesPath}' is not a list of modules.", modulesPath);
        }

        var layers = new List<DenseLayer>();
        foreach (JsonElement module in modules.RootElement.EnumerateArray())
        {
            string type = JsonFiles.GetString(module, "type") ?? "";
            string path = JsonFiles.GetString(module, "path") ?? "";
            if (type.EndsWith(".Transformer", StringComparison.Ordinal) || path.Length == 0)
            {
                continue;
            }

            if (!type.EndsWith(".Dense", StringComparison.Ordinal))
            {
                throw new OnnxModelLoadException($"'{modulesPath}' lists the module '{type}' ({path}); the late-interaction reranker runs the Transformer (the ONNX graph) and Dense projections only.", modulesPath);
            }

            layers.Add(DenseLayer.LoadModule(Path.Combine(directory, path), type.StartsWith("pylate.", StringComparison.Ordinal)));
        }

        for (int i = 1; i < layers.Count; i++)
        {
            if (layers[i].InFeatures != layers[i - 1].OutFeatures)
            {
                throw new OnnxModelLoadException($"'{layers[i].Source}' takes {layers[i].InFeatures} features, but the module before it gives {layers[i - 1].OutFeatures}.", layers[i].Source);
            }
        }

        return layers;
    }

    private static bool IsStanford(string configPath)
    {
        if (!File.Exists(configPath))
        {
            return false;
        }

        using JsonDocument config = JsonFiles.Parse(configPath);
        return config.RootElement.TryGetProperty("architectures", out JsonElement architectures) && architectures.ValueKind == JsonValueKind.Array
            && architectures.GetArrayLength() > 0 && architectures[0].ValueKind == JsonValueKind.String && architectures[0].GetString() == "HF_ColBERT";
    }

    private static JsonElement? ReadOptional(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        using JsonDocument document = JsonFiles.Parse(path);
        return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
    }
}
