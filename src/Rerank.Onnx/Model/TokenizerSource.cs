using System.Text.Json;
using Rerank.Onnx.Tokenization;

namespace Rerank.Onnx.Model;

/// <summary>
/// Loads the tokenizer of a model through <see cref="TokenizerLoader"/>, turning its failures into the reranker's
/// typed exceptions, and reads what the runtime itself needs from tokenizer_config.json.
/// </summary>
internal static class TokenizerSource
{
    /// <summary>Loads the tokenizer the files name: the explicit tokenizer file, or the one the folder holds.</summary>
    /// <param name="files">The model's files.</param>
    /// <returns>The tokenizer.</returns>
    /// <exception cref="OnnxModelNotFoundException">The folder has no tokenizer file; the message names each file looked for.</exception>
    /// <exception cref="OnnxModelLoadException">The tokenizer file is malformed or of an unknown type.</exception>
    public static IPairTokenizer Load(ModelFiles files)
    {
        string? path = files.TokenizerPath;
        try
        {
            if (path is null)
            {
                return TokenizerLoader.Load(files.ConfigDirectory);
            }

            string name = Path.GetFileName(path);
            return name switch
            {
                _ when name.EndsWith(".json", StringComparison.OrdinalIgnoreCase) => TokenizerLoader.FromTokenizerJson(path, files.TokenizerConfigPath),
                _ when name.EndsWith(".txt", StringComparison.OrdinalIgnoreCase) => TokenizerLoader.FromVocabFile(path, files.TokenizerConfigPath),
                _ when name.EndsWith(".model", StringComparison.OrdinalIgnoreCase) => TokenizerLoader.FromSentencePieceModel(path, files.TokenizerConfigPath),
                _ => throw new OnnxModelLoadException(
                    $"'{path}' is not a tokenizer file this library reads: give a tokenizer.json, a WordPiece vocab.txt or a sentencepiece .model file.",
                    path),
            };
        }
        catch (IOException ex) when (ex is FileNotFoundException or DirectoryNotFoundException && ex is not OnnxModelNotFoundException && path is null)
        {
            string[] searched = [.. TokenizerLoader.TokenizerFiles.Select(f => Path.Combine(files.ConfigDirectory, f))];
            throw new OnnxModelNotFoundException("tokenizer", searched, "Copy the model's tokenizer files into the folder, or name one with OnnxCrossEncoderOptions.TokenizerPath.");
        }
        catch (NotSupportedException ex)
        {
            throw new OnnxModelLoadException($"The tokenizer in '{path ?? files.ConfigDirectory}' is of a type this library does not implement: {ex.Message}", path, ex);
        }
        catch (Exception ex) when (ex is InvalidDataException or JsonException or IOException or UnauthorizedAccessException && ex is not OnnxModelNotFoundException)
        {
            throw new OnnxModelLoadException($"The tokenizer in '{path ?? files.ConfigDirectory}' could not be read: {ex.Message}", path, ex);
        }
    }

    /// <summary>Reads <c>model_max_length</c>; values of 1e6 and more mean "no limit" (transformers writes 1e30) and read as <see langword="null"/>.</summary>
    /// <param name="tokenizerConfigPath">tokenizer_config.json.</param>
    /// <returns>The limit, or <see langword="null"/>.</returns>
    public static int? ReadModelMaxLength(string tokenizerConfigPath)
    {
        using JsonDocument document = JsonFiles.Parse(tokenizerConfigPath);
        int? value = JsonFiles.GetInt(document.RootElement, "model_max_length");
        return value is > 0 and < 1_000_000 ? value : null;
    }
}
