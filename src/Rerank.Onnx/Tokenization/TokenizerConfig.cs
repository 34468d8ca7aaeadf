using System.Text.Json;

namespace Rerank.Onnx.Tokenization;

/// <summary>The settings of a Hugging Face <c>tokenizer_config.json</c> that change tokenisation.</summary>
internal sealed class TokenizerConfig
{
    private readonly Dictionary<string, string> _tokens = new(StringComparer.Ordinal);

    /// <summary>Gets a value indicating whether the file was present.</summary>
    public bool Exists { get; private init; }

    /// <summary>Gets <c>do_lower_case</c>, or <see langword="null"/> when absent.</summary>
    public bool? DoLowerCase { get; private init; }

    /// <summary>Gets <c>strip_accents</c>, or <see langword="null"/> when absent or null (then it follows lowercasing).</summary>
    public bool? StripAccents { get; private init; }

    /// <summary>Gets <c>tokenize_chinese_chars</c>, or <see langword="null"/> when absent.</summary>
    public bool? TokenizeChineseChars { get; private init; }

    /// <summary>Gets the text of a special token entry such as <c>cls_token</c> (a string or an AddedToken object).</summary>
    /// <param name="name">The entry's name.</param>
    /// <returns>The token, or <see langword="null"/> when absent.</returns>
    public string? Token(string name) => _tokens.GetValueOrDefault(name);

    /// <summary>Reads the file, or returns empty settings for a <see langword="null"/> path.</summary>
    /// <param name="path">The tokenizer_config.json path, or <see langword="null"/>.</param>
    /// <returns>The settings.</returns>
    /// <exception cref="InvalidDataException">The file is not a JSON object.</exception>
    public static TokenizerConfig Read(string? path)
    {
        if (path is null)
        {
            return new TokenizerConfig();
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"'{path}' is not a JSON object.");
            }

            var config = new TokenizerConfig
            {
                Exists = true,
                DoLowerCase = Bool(root, "do_lower_case"),
                StripAccents = Bool(root, "strip_accents"),
                TokenizeChineseChars = Bool(root, "tokenize_chinese_chars"),
            };
            foreach (JsonProperty property in root.EnumerateObject())
            {
                if (!property.Name.EndsWith("_token", StringComparison.Ordinal))
                {
                    continue;
                }

                string? token = property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString(),
                    JsonValueKind.Object when property.Value.TryGetProperty("content", out JsonElement content) => content.GetString(),
                    _ => null,
                };
                if (token is not null)
                {
                    config._tokens[property.Name] = token;
                }
            }

            return config;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' is not valid JSON: {e.Message}", e);
        }
    }

    private static bool? Bool(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : null;
}
