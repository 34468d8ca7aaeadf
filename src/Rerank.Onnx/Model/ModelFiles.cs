namespace Rerank.Onnx.Model;

/// <summary>The files of a cross-encoder, found the way Hugging Face lays out a model folder.</summary>
internal sealed class ModelFiles
{
    private static readonly string[] Float32Names = ["model.onnx"];

    // Transformers.js exports name their 8-bit model model_quantized.onnx; optimum and sentence-transformers name theirs
    // by instruction set. The portable names come first, then the export made for this CPU (Int8Hardware says why).
    private static readonly string[] QuantizedNames = Int8Hardware.QuantizedNamesForThisCpu(["model_quantized.onnx", "model_int8.onnx"]);

    private static readonly string[] Float16Names = ["model_fp16.onnx"];

    private ModelFiles(string modelPath, string configDirectory, string? tokenizerPath)
    {
        ModelPath = modelPath;
        ConfigDirectory = configDirectory;
        TokenizerPath = tokenizerPath;
    }

    /// <summary>Gets the ONNX file.</summary>
    public string ModelPath { get; }

    /// <summary>Gets the folder holding config.json, tokenizer_config.json and (unless <see cref="TokenizerPath"/> says otherwise) the tokenizer.</summary>
    public string ConfigDirectory { get; }

    /// <summary>Gets the tokenizer file the caller named, or <see langword="null"/> to find it in <see cref="ConfigDirectory"/>.</summary>
    public string? TokenizerPath { get; }

    /// <summary>Gets config.json's path, or <see langword="null"/> if the folder has none.</summary>
    public string? ConfigPath => ExistingFile(Path.Combine(ConfigDirectory, "config.json"));

    /// <summary>Gets tokenizer_config.json's path, or <see langword="null"/> if the folder has none.</summary>
    public string? TokenizerConfigPath => ExistingFile(Path.Combine(ConfigDirectory, "tokenizer_config.json"));

    /// <summary>Finds the files the options describe.</summary>
    /// <param name="options">The validated options.</param>
    /// <returns>The files.</returns>
    /// <exception cref="OnnxModelNotFoundException">The folder or the ONNX file does not exist.</exception>
    public static ModelFiles Resolve(OnnxCrossEncoderOptions options) =>
        Resolve(options.ModelDirectory, options.ModelPath, options.TokenizerPath, options.ModelVariant, nameof(OnnxCrossEncoderOptions));

    /// <summary>Finds the files of a model folder, or of explicitly named files, for any of the ONNX types.</summary>
    /// <param name="modelDirectory">The folder, if any.</param>
    /// <param name="modelPathOption">The ONNX file the caller named, if any.</param>
    /// <param name="tokenizerPathOption">The tokenizer file the caller named, if any.</param>
    /// <param name="variant">The variant to look for when no ONNX file is named.</param>
    /// <param name="optionsName">The options type, named in the messages (such as <c>OnnxEmbeddingGeneratorOptions</c>).</param>
    /// <returns>The files.</returns>
    /// <exception cref="OnnxModelNotFoundException">The folder or the ONNX file does not exist.</exception>
    public static ModelFiles Resolve(string? modelDirectory, string? modelPathOption, string? tokenizerPathOption, OnnxModelVariant variant, string optionsName)
    {
        string? directory = modelDirectory is null ? null : Path.GetFullPath(modelDirectory);
        string? tokenizerPath = tokenizerPathOption is null ? null : FullPath(directory, tokenizerPathOption);
        if (tokenizerPath is not null && !File.Exists(tokenizerPath))
        {
            throw new OnnxModelNotFoundException("tokenizer", [tokenizerPath], $"Check {optionsName}.TokenizerPath.");
        }

        string modelPath;
        if (modelPathOption is not null)
        {
            modelPath = FullPath(directory, modelPathOption);
            if (!File.Exists(modelPath))
            {
                throw new OnnxModelNotFoundException("ONNX model", [modelPath], $"Check {optionsName}.ModelPath.");
            }
        }
        else
        {
            // Validation guarantees a folder when no model path is given.
            modelPath = FindModel(directory!, variant, optionsName);
        }

        string configDirectory = directory
            ?? Path.GetDirectoryName(tokenizerPath)
            ?? Path.GetDirectoryName(modelPath)!;
        return new ModelFiles(modelPath, configDirectory, tokenizerPath);
    }

    /// <summary>
    /// Gets the repository paths ('/'-separated) a Hub download asks for: exactly <paramref name="onnxFile"/> when the
    /// options name one, else the loader's own candidates for the variant, so that the file downloaded is the file loaded.
    /// </summary>
    /// <param name="onnxFile">The validated repository path of the ONNX file the options name, or <see langword="null"/>.</param>
    /// <param name="variant">The variant.</param>
    /// <returns>The candidates, most preferred first.</returns>
    public static IReadOnlyList<string> RepositoryCandidates(string? onnxFile, OnnxModelVariant variant) =>
        onnxFile is not null
            ? [onnxFile]
            : [.. Candidates(string.Empty, variant).Select(p => p.Replace(Path.DirectorySeparatorChar, '/'))];

    /// <summary>Gets the candidate file names of a variant, in the order they are tried.</summary>
    /// <param name="directory">The model folder.</param>
    /// <param name="variant">The variant.</param>
    /// <returns>The candidate paths: under <c>onnx/</c> first, then in the folder itself.</returns>
    public static IReadOnlyList<string> Candidates(string directory, OnnxModelVariant variant)
    {
        string[] names = variant switch
        {
            OnnxModelVariant.Quantized => QuantizedNames,
            OnnxModelVariant.Float16 => Float16Names,
            _ => Float32Names,
        };

        var candidates = new List<string>(names.Length * 2);
        candidates.AddRange(names.Select(name => Path.Combine(directory, "onnx", name)));
        candidates.AddRange(names.Select(name => Path.Combine(directory, name)));
        return candidates;
    }

    private static string FindModel(string directory, OnnxModelVariant variant, string optionsName)
    {
        IReadOnlyList<string> candidates = Candidates(directory, variant);
        foreach (string candidate in candidates)
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        string hint = !Directory.Exists(directory)
            ? $"The model folder '{directory}' does not exist. Download the model (for example with `huggingface-cli download ORG/NAME`) or point {optionsName}.ModelDirectory at a folder that holds it."
            : $"The folder '{directory}' has no {Describe(variant)} ONNX export. Export one (optimum-cli export onnx), choose another {optionsName}.ModelVariant, or name the file with {optionsName}.ModelPath.";
        throw new OnnxModelNotFoundException(Describe(variant) + " ONNX model", candidates, hint);
    }

    private static string Describe(OnnxModelVariant variant) => variant switch
    {
        OnnxModelVariant.Quantized => "quantized (int8)",
        OnnxModelVariant.Float16 => "float16",
        _ => "float32",
    };

    private static string FullPath(string? directory, string path) =>
        Path.GetFullPath(directory is null || Path.IsPathRooted(path) ? path : Path.Combine(directory, path));

    private static string? ExistingFile(string path) => File.Exists(path) ? path : null;
}
