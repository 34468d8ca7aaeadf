using System.Text.Json;
using Rerank.Onnx.Model;

namespace Rerank.Onnx.Embeddings;

/// <summary>
/// What a sentence-transformers model folder says about turning token embeddings into a sentence embedding:
/// <c>modules.json</c>, the <c>Pooling</c> module's <c>config.json</c>, a <c>Normalize</c> module,
/// <c>sentence_bert_config.json</c> and <c>config_sentence_transformers.json</c>.
/// </summary>
internal sealed class SentenceTransformerConfig
{
    /// <summary>Gets the pooling modes, in the order sentence-transformers concatenates them; empty when the folder states none.</summary>
    public IReadOnlyList<EmbeddingPooling> Pooling { get; private init; } = [];

    /// <summary>Gets the file the pooling came from, or <see langword="null"/> when the folder has none.</summary>
    public string? PoolingConfigPath { get; private init; }

    /// <summary>Gets a value indicating whether the prompt's tokens count in pooling (<c>include_prompt</c>, true by default).</summary>
    public bool IncludePrompt { get; private init; } = true;

    /// <summary>Gets a value indicating whether modules.json lists a Normalize module.</summary>
    public bool Normalize { get; private init; }

    /// <summary>Gets sentence_bert_config.json's <c>max_seq_length</c>, if given.</summary>
    public int? MaxSeqLength { get; private init; }

    /// <summary>Gets the prompts by name.</summary>
    public IReadOnlyDictionary<string, string> Prompts { get; private init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Gets <c>default_prompt_name</c>, if given.</summary>
    public string? DefaultPromptName { get; private init; }

    /// <summary>Gets <c>similarity_fn_name</c> (cosine, dot, euclidean, manhattan), if given.</summary>
    public string? SimilarityFunction { get; private init; }

    /// <summary>Reads the files that exist in <paramref name="directory"/>; none of them is required.</summary>
    /// <param name="directory">The model folder.</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="OnnxModelLoadException">A file is not valid JSON, or names a pooling mode or a module this library does not implement.</exception>
    /// <exception cref="OnnxModelNotFoundException">modules.json lists a Pooling module whose configuration is missing.</exception>
    public static SentenceTransformerConfig Load(string directory)
    {
        (string? poolingFolder, bool normalize) = ReadModules(directory);

        // Without modules.json, sentence-transformers' own layout is still worth a look.
        string? poolingPath = Path.Combine(directory, poolingFolder ?? "1_Pooling", "config.json");
        if (!File.Exists(poolingPath))
        {
            // sentence-transformers cannot load a Pooling module without its configuration; guessing mean pooling for a
            // CLS or last-token model would give vectors that look right and are not the model's.
            poolingPath = poolingFolder is null ? null : throw new OnnxModelNotFoundException(
                "pooling configuration that modules.json names", [poolingPath], $"Copy the model's {poolingFolder}/config.json into the folder, or download the whole repository.");
        }
        List<EmbeddingPooling> pooling = [];
        bool includePrompt = true;
        if (poolingPath is not null)
        {
            using JsonDocument document = JsonFiles.Parse(poolingPath);
            JsonElement root = document.RootElement;
            if (Flag(root, "pooling_mode_weightedmean_tokens"))
            {
                throw new OnnxModelLoadException($"'{poolingPath}' asks for weighted-mean pooling, which this library does not implement; set OnnxEmbeddingGeneratorOptions.Pooling to override it.", poolingPath);
            }

            // sentence-transformers' Pooling.forward concatenates the modes in this order.
            (string Key, EmbeddingPooling Mode)[] modes =
            [
                ("pooling_mode_cls_token", EmbeddingPooling.Cls),
                ("pooling_mode_max_tokens", EmbeddingPooling.Max),
                ("pooling_mode_mean_tokens", EmbeddingPooling.Mean),
                ("pooling_mode_mean_sqrt_len_tokens", EmbeddingPooling.MeanSqrtLength),
                ("pooling_mode_lasttoken", EmbeddingPooling.LastToken),
            ];
            pooling.AddRange(modes.Where(m => Flag(root, m.Key)).Select(m => m.Mode));
            if (JsonFiles.GetString(root, "pooling_mode") is { } named && pooling.Count == 0)
            {
                pooling.Add(named switch
                {
                    "mean" => EmbeddingPooling.Mean,
                    "cls" => EmbeddingPooling.Cls,
                    "max" => EmbeddingPooling.Max,
                    "mean_sqrt_len_tokens" => EmbeddingPooling.MeanSqrtLength,
                    "lasttoken" => EmbeddingPooling.LastToken,
                    _ => throw new OnnxModelLoadException($"'{poolingPath}' names the pooling mode '{named}', which this library does not implement.", poolingPath),
                });
            }

            includePrompt = !root.TryGetProperty("include_prompt", out JsonElement include) || include.ValueKind != JsonValueKind.False;
        }

        int? maxSeqLength = null;
        string bertConfigPath = Path.Combine(directory, "sentence_bert_config.json");
        if (File.Exists(bertConfigPath))
        {
            using JsonDocument document = JsonFiles.Parse(bertConfigPath);
            maxSeqLength = JsonFiles.GetInt(document.RootElement, "max_seq_length");
        }

        var prompts = new Dictionary<string, string>(StringComparer.Ordinal);
        string? defaultPromptName = null, similarity = null;
        string stConfigPath = Path.Combine(directory, "config_sentence_transformers.json");
        if (File.Exists(stConfigPath))
        {
            using JsonDocument document = JsonFiles.Parse(stConfigPath);
            JsonElement root = document.RootElement;
            if (root.TryGetProperty("prompts", out JsonElement promptsElement) && promptsElement.ValueKind == JsonValueKind.Object)
            {
                foreach (JsonProperty prompt in promptsElement.EnumerateObject())
                {
                    if (prompt.Value.ValueKind == JsonValueKind.String)
                    {
                        prompts[prompt.Name] = prompt.Value.GetString()!;
                    }
                }
            }

            defaultPromptName = JsonFiles.GetString(root, "default_prompt_name");
            similarity = JsonFiles.GetString(root, "similarity_fn_name");
        }

        return new SentenceTransformerConfig
        {
            Pooling = pooling,
            PoolingConfigPath = poolingPath,
            IncludePrompt = includePrompt,
            Normalize = normalize,
            MaxSeqLength = maxSeqLength,
            Prompts = prompts,
            DefaultPromptName = defaultPromptName,
            SimilarityFunction = similarity,
        };
    }

    /// <summary>
    /// Gets the repository path of the pooling configuration the folder's <c>modules.json</c> names (<c>1_Pooling/config.json</c>
    /// when it names none), so that a download can fetch it.
    /// </summary>
    /// <param name="directory">The model folder.</param>
    /// <returns>The '/'-separated path.</returns>
    /// <exception cref="OnnxModelLoadException">modules.json is malformed, names a module this library does not run, or a path outside the folder.</exception>
    public static string PoolingConfigFile(string directory) => (ReadModules(directory).PoolingFolder ?? "1_Pooling") + "/config.json";

    /// <summary>Reads modules.json: the Pooling module's folder and whether a Normalize module follows.</summary>
    private static (string? PoolingFolder, bool Normalize) ReadModules(string directory)
    {
        string? poolingFolder = null;
        bool normalize = false;
        string modulesPath = Path.Combine(directory, "modules.json");
        if (!File.Exists(modulesPath))
        {
            return (null, false);
        }

        using JsonDocument modules = JsonFiles.Parse(modulesPath);
        if (modules.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new OnnxModelLoadException($"'{modulesPath}' must be a JSON array of modules, as sentence-transformers writes it.", modulesPath);
        }

        foreach (JsonElement module in modules.RootElement.EnumerateArray())
        {
            string type = module.ValueKind == JsonValueKind.Object ? JsonFiles.GetString(module, "type") ?? string.Empty : string.Empty;
            if (type.EndsWith(".Pooling", StringComparison.Ordinal))
            {
                poolingFolder = (JsonFiles.GetString(module, "path") is { Length: > 0 } path ? path : "1_Pooling").TrimEnd('/');
                // The same rule as a repository path, so that a folder and a Hub download refuse the same files.
                if (Path.IsPathRooted(poolingFolder) || !Hub.HubNames.IsFilePath(poolingFolder + "/config.json"))
                {
                    throw new OnnxModelLoadException($"'{modulesPath}' puts the Pooling module at '{poolingFolder}', outside the model folder or not a plain relative path.", modulesPath);
                }
            }
            else if (type.EndsWith(".Normalize", StringComparison.Ordinal))
            {
                normalize = true;
            }
            else if (!type.EndsWith(".Transformer", StringComparison.Ordinal))
            {
                // A Dense projection, a router or a static embedding changes the vectors after the transformer; running
                // the transformer and pooling alone would give vectors that look right and are not the model's.
                throw new OnnxModelLoadException(
                    $"'{modulesPath}' lists the module '{(type.Length == 0 ? module.ToString() : type)}', which OnnxEmbeddingGenerator does not run: it runs a Transformer, then Pooling, then an optional Normalize, as most sentence-transformers models are built. A model with other modules (such as a Dense projection) would give embeddings that are not the model's.",
                    modulesPath);
            }
        }

        return (poolingFolder, normalize);
    }

    private static bool Flag(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.True;
}
