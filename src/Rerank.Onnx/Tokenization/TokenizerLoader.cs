using System.Text.Json;

namespace Rerank.Onnx.Tokenization;

/// <summary>
/// Finds and loads the tokenizer of a Hugging Face model folder: <c>tokenizer.json</c> first (as the fast tokenizers
/// do), else <c>vocab.txt</c> (BERT WordPiece), else <c>sentencepiece.bpe.model</c> (XLM-RoBERTa unigram), each with
/// <c>tokenizer_config.json</c> when present.
/// </summary>
internal static class TokenizerLoader
{
    /// <summary>The tokenizer files looked for, in order of preference.</summary>
    public static readonly IReadOnlyList<string> TokenizerFiles = ["tokenizer.json", "vocab.txt", "sentencepiece.bpe.model"];

    private const string TokenizerConfigFile = "tokenizer_config.json";

    /// <summary>Loads the tokenizer of the model in <paramref name="directory"/>.</summary>
    /// <param name="directory">A Hugging Face model folder.</param>
    /// <returns>The pair tokenizer.</returns>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">None of <see cref="TokenizerFiles"/> is in the folder.</exception>
    /// <exception cref="NotSupportedException">The tokenizer is of a type Rerank.Onnx does not implement.</exception>
    /// <exception cref="InvalidDataException">A tokenizer file is malformed.</exception>
    public static IPairTokenizer Load(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        string full = Path.GetFullPath(directory);
        if (!Directory.Exists(full))
        {
            throw new DirectoryNotFoundException($"The model folder '{full}' does not exist.");
        }

        string config = Path.Combine(full, TokenizerConfigFile);
        string? configPath = File.Exists(config) ? config : null;
        foreach (string name in TokenizerFiles)
        {
            string path = Path.Combine(full, name);
            if (File.Exists(path))
            {
                return name switch
                {
                    "tokenizer.json" => FromTokenizerJson(path, configPath),
                    "vocab.txt" => FromVocabFile(path, configPath),
                    _ => FromSentencePieceModel(path, configPath),
                };
            }
        }

        throw new FileNotFoundException(
            $"No tokenizer found in '{full}': looked for {string.Join(", ", TokenizerFiles.Select(f => Path.Combine(full, f)))}.",
            Path.Combine(full, TokenizerFiles[0]));
    }

    /// <summary>Loads a BERT WordPiece tokenizer from <c>vocab.txt</c> (one token per line, the line number is its id).</summary>
    /// <remarks>As the fast tokenizer converted from it, the special tokens written in text map to their ids.</remarks>
    /// <param name="vocabPath">The vocabulary file.</param>
    /// <param name="tokenizerConfigPath">tokenizer_config.json, or <see langword="null"/> for BertTokenizer's defaults.</param>
    /// <returns>The tokenizer.</returns>
    /// <exception cref="InvalidDataException">The vocabulary lacks a special token.</exception>
    public static BertWordPieceTokenizer FromVocabFile(string vocabPath, string? tokenizerConfigPath)
    {
        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        int id = 0;
        foreach (string line in File.ReadLines(vocabPath))
        {
            vocabulary[line] = id++;
        }

        if (vocabulary.Count == 0)
        {
            throw new InvalidDataException($"The vocabulary '{vocabPath}' is empty.");
        }

        TokenizerConfig config = TokenizerConfig.Read(tokenizerConfigPath);
        var normalizer = new BertNormalizer(true, config.TokenizeChineseChars ?? true,
            config.StripAccents ?? config.DoLowerCase ?? true, config.DoLowerCase ?? true);
        string unk = config.Token("unk_token") ?? "[UNK]";
        var model = new WordPieceModel(vocabulary, unk, "##", 100);

        // The fast tokenizer converted from vocab.txt registers the special tokens as added tokens.
        var specials = new List<AddedToken>();
        foreach ((string name, string fallback) in new[] { ("unk_token", "[UNK]"), ("sep_token", "[SEP]"), ("pad_token", "[PAD]"), ("cls_token", "[CLS]"), ("mask_token", "[MASK]") })
        {
            string token = config.Token(name) ?? fallback;
            if (vocabulary.TryGetValue(token, out int tokenId))
            {
                specials.Add(new AddedToken(token, tokenId));
            }
        }

        return new BertWordPieceTokenizer(normalizer, model,
            Require(vocabulary, config.Token("cls_token") ?? "[CLS]", vocabPath),
            Require(vocabulary, config.Token("sep_token") ?? "[SEP]", vocabPath),
            Require(vocabulary, config.Token("pad_token") ?? "[PAD]", vocabPath),
            new AddedTokenSplitter(specials));
    }

    /// <summary>Loads an XLM-RoBERTa tokenizer from a sentencepiece unigram model, with fairseq ids.</summary>
    /// <param name="modelPath">The <c>sentencepiece.bpe.model</c> file.</param>
    /// <param name="tokenizerConfigPath">Unused today; accepted for symmetry with the other sources.</param>
    /// <returns>The tokenizer.</returns>
    /// <exception cref="NotSupportedException">The model is not a unigram model, or uses byte fallback.</exception>
    /// <exception cref="InvalidDataException">The file is not a sentencepiece model.</exception>
    public static XlmRobertaTokenizer FromSentencePieceModel(string modelPath, string? tokenizerConfigPath)
    {
        _ = tokenizerConfigPath;
        SentencePieceModelFile file = SentencePieceModelFile.Parse(File.ReadAllBytes(modelPath), modelPath);
        if (file.ModelType != 1)
        {
            throw new NotSupportedException($"'{modelPath}' is a sentencepiece model of type {file.ModelType}; Rerank.Onnx supports unigram (type 1) models, as XLM-RoBERTa uses.");
        }

        if (file.ByteFallback || file.TreatWhitespaceAsSuffix)
        {
            throw new NotSupportedException($"'{modelPath}' uses sentencepiece byte fallback or suffix whitespace, which XLM-RoBERTa tokenizers do not and Rerank.Onnx does not implement.");
        }

        // fairseq layout (transformers' XLMRobertaTokenizer): <s>=0 <pad>=1 </s>=2 <unk>=3, piece i>0 -> i+1, <mask> last.
        const int Bos = 0, Pad = 1, Eos = 2, Unknown = 3;
        var pieces = new List<(string, int, double)>(file.Pieces.Count);
        double minScore = double.PositiveInfinity;
        for (int i = 0; i < file.Pieces.Count; i++)
        {
            (string piece, float score, SentencePieceModelFile.PieceType type) = file.Pieces[i];
            if (type is SentencePieceModelFile.PieceType.Normal or SentencePieceModelFile.PieceType.UserDefined && i != file.UnknownId)
            {
                pieces.Add((piece, i + 1, score));
                if (type == SentencePieceModelFile.PieceType.Normal)
                {
                    minScore = Math.Min(minScore, score);
                }
            }
        }

        var model = new UnigramModel(pieces, file.Pieces.Count + 2, Unknown, double.IsFinite(minScore) ? minScore : 0);
        var pipeline = new SentencePieceTextPipeline(PrecompiledCharsMap.Parse(file.PrecompiledCharsMap),
            file.AddDummyPrefix, file.RemoveExtraWhitespaces, file.EscapeWhitespaces);
        AddedToken[] specials =
        [
            new("<s>", Bos), new("<pad>", Pad), new("</s>", Eos), new("<unk>", Unknown),
            new("<mask>", file.Pieces.Count + 1, LStrip: true),
        ];
        return new XlmRobertaTokenizer(pipeline, model, Bos, Eos, Pad, new AddedTokenSplitter(specials));
    }

    /// <summary>Loads a tokenizer from a Hugging Face <c>tokenizer.json</c>: WordPiece (BERT) or Unigram (XLM-RoBERTa).</summary>
    /// <param name="path">The tokenizer.json file.</param>
    /// <param name="tokenizerConfigPath">tokenizer_config.json, or <see langword="null"/>.</param>
    /// <returns>The tokenizer.</returns>
    /// <exception cref="NotSupportedException">The model type or a pipeline component is not supported.</exception>
    /// <exception cref="InvalidDataException">The file is not valid tokenizer.json.</exception>
    public static PairTokenizer FromTokenizerJson(string path, string? tokenizerConfigPath)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
            JsonElement root = document.RootElement;
            if (!root.TryGetProperty("model", out JsonElement model) || !model.TryGetProperty("type", out JsonElement typeElement))
            {
                throw new InvalidDataException($"'{path}' has no model.type; it is not a Hugging Face tokenizer.json.");
            }

            string? type = typeElement.GetString();
            TokenizerConfig config = TokenizerConfig.Read(tokenizerConfigPath);
            return type switch
            {
                "WordPiece" => BertFromJson(root, model, config, path),
                "Unigram" => XlmRobertaFromJson(root, model, path),
                _ => throw new NotSupportedException(
                    $"'{path}' uses the tokenizer model type '{type}', which Rerank.Onnx does not support; supported: WordPiece (BERT, MiniLM, ELECTRA cross-encoders) and Unigram (XLM-RoBERTa, bge-reranker)."),
            };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"'{path}' is not a valid Hugging Face tokenizer.json: {e.Message}", e);
        }
    }

    private static BertWordPieceTokenizer BertFromJson(JsonElement root, JsonElement model, TokenizerConfig config, string path)
    {
        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (JsonProperty entry in model.GetProperty("vocab").EnumerateObject())
        {
            vocabulary[entry.Name] = entry.Value.GetInt32();
        }

        JsonElement normalizerSpec = root.GetProperty("normalizer");
        if (normalizerSpec.ValueKind != JsonValueKind.Object || normalizerSpec.GetProperty("type").GetString() != "BertNormalizer")
        {
            throw new NotSupportedException($"'{path}' is a WordPiece tokenizer without a BertNormalizer; Rerank.Onnx supports the BERT family's normalizer only.");
        }

        if (root.TryGetProperty("pre_tokenizer", out JsonElement preTokenizer) && preTokenizer.ValueKind == JsonValueKind.Object
            && preTokenizer.GetProperty("type").GetString() != "BertPreTokenizer")
        {
            throw new NotSupportedException($"'{path}' uses the pre_tokenizer '{preTokenizer.GetProperty("type").GetString()}'; Rerank.Onnx supports BertPreTokenizer for WordPiece models.");
        }

        bool lowercase = Bool(normalizerSpec, "lowercase") ?? true;
        bool? stripAccents = Bool(normalizerSpec, "strip_accents");
        bool chinese = Bool(normalizerSpec, "handle_chinese_chars") ?? true;
        if (config.Exists)
        {
            // transformers' BertTokenizerFast rebuilds the normalizer from tokenizer_config.json (with its own defaults)
            // whenever they disagree with tokenizer.json, so the config file wins.
            lowercase = config.DoLowerCase ?? true;
            stripAccents = config.StripAccents;
            chinese = config.TokenizeChineseChars ?? true;
        }

        var normalizer = new BertNormalizer(Bool(normalizerSpec, "clean_text") ?? true, chinese, stripAccents ?? lowercase, lowercase);
        var wordPiece = new WordPieceModel(vocabulary,
            model.TryGetProperty("unk_token", out JsonElement unk) ? unk.GetString() ?? "[UNK]" : "[UNK]",
            model.TryGetProperty("continuing_subword_prefix", out JsonElement prefix) ? prefix.GetString() ?? "##" : "##",
            model.TryGetProperty("max_input_chars_per_word", out JsonElement max) ? max.GetInt32() : 100);
        int cls = SpecialId(root, vocabulary, config.Token("cls_token") ?? "[CLS]", path);
        int sep = SpecialId(root, vocabulary, config.Token("sep_token") ?? "[SEP]", path);
        int pad = SpecialId(root, vocabulary, config.Token("pad_token") ?? "[PAD]", path);
        return new BertWordPieceTokenizer(normalizer, wordPiece, cls, sep, pad, AddedTokens(root));
    }

    private static XlmRobertaTokenizer XlmRobertaFromJson(JsonElement root, JsonElement model, string path)
    {
        if (Bool(model, "byte_fallback") == true)
        {
            throw new NotSupportedException($"'{path}' is a unigram model with byte fallback, which XLM-RoBERTa tokenizers do not use and Rerank.Onnx does not implement.");
        }

        AddedTokenSplitter addedTokens = AddedTokens(root, out HashSet<int> specials);

        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        var pieces = new List<(string, int, double)>();
        double minScore = double.PositiveInfinity;
        int id = 0;
        foreach (JsonElement entry in model.GetProperty("vocab").EnumerateArray())
        {
            string piece = entry[0].GetString() ?? "";
            double score = entry[1].GetDouble();
            vocabulary.TryAdd(piece, id);
            minScore = Math.Min(minScore, score);
            if (!specials.Contains(id))
            {
                pieces.Add((piece, id, score));
            }

            id++;
        }

        int unknown = model.TryGetProperty("unk_id", out JsonElement unk) && unk.ValueKind == JsonValueKind.Number ? unk.GetInt32() : 0;
        var unigram = new UnigramModel(pieces, id, unknown, double.IsFinite(minScore) ? minScore : 0);
        var pipeline = new HuggingFaceTextPipeline(
            root.TryGetProperty("normalizer", out JsonElement n) ? n : default,
            root.TryGetProperty("pre_tokenizer", out JsonElement p) ? p : default,
            path);
        return new XlmRobertaTokenizer(pipeline, unigram,
            SpecialId(root, vocabulary, "<s>", path), SpecialId(root, vocabulary, "</s>", path), SpecialId(root, vocabulary, "<pad>", path),
            addedTokens);
    }

    private static AddedTokenSplitter AddedTokens(JsonElement root) => AddedTokens(root, out _);

    // tokenizer.json's added_tokens; the special ones are also kept out of the model's own vocabulary matching.
    private static AddedTokenSplitter AddedTokens(JsonElement root, out HashSet<int> specialIds)
    {
        specialIds = [];
        var tokens = new List<AddedToken>();
        if (root.TryGetProperty("added_tokens", out JsonElement added) && added.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement token in added.EnumerateArray())
            {
                int id = token.GetProperty("id").GetInt32();
                tokens.Add(new AddedToken(token.GetProperty("content").GetString() ?? "", id,
                    Bool(token, "lstrip") == true, Bool(token, "rstrip") == true, Bool(token, "single_word") == true));
                if (Bool(token, "special") == true)
                {
                    specialIds.Add(id);
                }
            }
        }

        return new AddedTokenSplitter(tokens);
    }

    // A special token's id: from the post-processor's table when it lists the token, else from the vocabulary.
    private static int SpecialId(JsonElement root, Dictionary<string, int> vocabulary, string token, string path)
    {
        if (root.TryGetProperty("post_processor", out JsonElement post) && post.ValueKind == JsonValueKind.Object
            && post.TryGetProperty("special_tokens", out JsonElement table) && table.ValueKind == JsonValueKind.Object
            && table.TryGetProperty(token, out JsonElement entry) && entry.TryGetProperty("ids", out JsonElement ids) && ids.GetArrayLength() == 1)
        {
            return ids[0].GetInt32();
        }

        return Require(vocabulary, token, path);
    }

    private static int Require(Dictionary<string, int> vocabulary, string token, string path) =>
        vocabulary.TryGetValue(token, out int id)
            ? id
            : throw new InvalidDataException($"The tokenizer '{path}' has no special token '{token}'.");

    private static bool? Bool(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value)
            && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : null;
}
