using System.Text.Json;

namespace Rerank.Onnx.LateInteraction;

/// <summary>
/// The token → id map of a checkpoint's tokenizer, as transformers' <c>convert_tokens_to_ids</c> sees it: added
/// tokens first (PyLate's <c>[Q] </c> and <c>[D] </c> markers are added tokens), then the model's vocabulary.
/// </summary>
internal sealed class TokenVocabulary
{
    private readonly Dictionary<string, int> _ids;

    private TokenVocabulary(Dictionary<string, int> ids, string source)
    {
        _ids = ids;
        Source = source;
    }

    /// <summary>Gets the file the vocabulary was read from.</summary>
    public string Source { get; }

    /// <summary>Reads tokenizer.json if the folder has it, else vocab.txt.</summary>
    /// <param name="directory">The checkpoint folder.</param>
    /// <returns>The vocabulary.</returns>
    /// <exception cref="OnnxModelNotFoundException">The folder has neither file.</exception>
    /// <exception cref="OnnxModelLoadException">The file is malformed.</exception>
    public static TokenVocabulary Load(string directory)
    {
        string json = Path.Combine(directory, "tokenizer.json");
        string text = Path.Combine(directory, "vocab.txt");
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        try
        {
            if (File.Exists(json))
            {
                using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(json));
                JsonElement vocab = document.RootElement.GetProperty("model").GetProperty("vocab");
                if (vocab.ValueKind == JsonValueKind.Object)
                {
                    foreach (JsonProperty entry in vocab.EnumerateObject())
                    {
                        ids.TryAdd(entry.Name, entry.Value.GetInt32());
                    }
                }
                else
                {
                    // Unigram: [[piece, score], ...], the position is the id.
                    int id = 0;
                    foreach (JsonElement entry in vocab.EnumerateArray())
                    {
                        ids.TryAdd(entry[0].GetString() ?? "", id++);
                    }
                }

                if (document.RootElement.TryGetProperty("added_tokens", out JsonElement added) && added.ValueKind == JsonValueKind.Array)
                {
                    foreach (JsonElement token in added.EnumerateArray())
                    {
                        ids[token.GetProperty("content").GetString() ?? ""] = token.GetProperty("id").GetInt32();
                    }
                }

                return new TokenVocabulary(ids, json);
            }

            if (File.Exists(text))
            {
                int id = 0;
                foreach (string line in File.ReadLines(text))
                {
                    ids.TryAdd(line, id++);
                }

                return new TokenVocabulary(ids, text);
            }
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new OnnxModelLoadException($"'{(File.Exists(json) ? json : text)}' could not be read as a tokenizer vocabulary: {ex.Message}", File.Exists(json) ? json : text, ex);
        }

        throw new OnnxModelNotFoundException("tokenizer vocabulary", [json, text],
            "The late-interaction reranker looks its marker, mask and skiplist tokens up in tokenizer.json or vocab.txt; a folder with only a sentencepiece model needs a tokenizer.json (transformers writes one with save_pretrained).");
    }

    /// <summary>Looks a token up.</summary>
    /// <param name="token">The token's text, exactly.</param>
    /// <param name="id">Receives its id.</param>
    /// <returns>Whether the vocabulary has it.</returns>
    public bool TryGetId(string token, out int id) => _ids.TryGetValue(token, out id);
}
