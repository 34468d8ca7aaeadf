using System.Text.Json;
using Rerank.Onnx.Tokenization;

namespace Rerank.Onnx.Model;

/// <summary>Loads the tokenizer of a model folder through the tokenizers' loader, and reads what the runtime needs from tokenizer_config.json.</summary>
internal static class TokenizerSource
{
    /// <summary>Loads the tokenizer the files name.</summary>
    public static IPairTokenizer Load(ModelFiles files)
    {
        // Wired to the tokenizers' TokenizerLoader once it lands (branch issue-3-tokenizers).
        throw new OnnxModelLoadException($"No tokenizer implementation is available yet for '{files.TokenizerPath ?? files.ConfigDirectory}'.");
    }

    /// <summary>Reads <c>model_max_length</c>; values of 1e6 and more mean "no limit" (transformers writes 1e30) and read as <see langword="null"/>.</summary>
    public static int? ReadModelMaxLength(string tokenizerConfigPath)
    {
        using JsonDocument document = JsonFiles.Parse(tokenizerConfigPath);
        int? value = JsonFiles.GetInt(document.RootElement, "model_max_length");
        return value is > 0 and < 1_000_000 ? value : null;
    }
}
