using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Rerank.Onnx.Tokenization;

/// <summary>
/// The normalizer and pre_tokenizer of a Hugging Face <c>tokenizer.json</c> for a unigram model, as the Rust
/// tokenizers library runs them. Supported: normalizers Precompiled, Strip, Replace (string or regex), Prepend,
/// Lowercase, NFC/NFD/NFKC/NFKD and Sequence; pre-tokenizers Metaspace, WhitespaceSplit and Sequence.
/// </summary>
internal sealed class HuggingFaceTextPipeline : UnigramTextPipeline
{
    private readonly List<Func<string, string>> _normalizers = [];
    private readonly List<Func<List<string>, bool, List<string>>> _preTokenizers = [];

    // Whether every normaliser maps the text before a space the same alone as inside the whole text, and whether a
    // pre-tokenizer starts a new piece at every space; both are needed for SplitsAtSpaces.
    private bool _normalizersLocal = true;
    private bool _splitsAtSpaces;

    /// <summary>Initializes a new instance of the <see cref="HuggingFaceTextPipeline"/> class.</summary>
    /// <param name="normalizer">The <c>normalizer</c> object, or a JSON null.</param>
    /// <param name="preTokenizer">The <c>pre_tokenizer</c> object, or a JSON null.</param>
    /// <param name="source">The file, for error messages.</param>
    /// <exception cref="NotSupportedException">A component type is not supported.</exception>
    public HuggingFaceTextPipeline(JsonElement normalizer, JsonElement preTokenizer, string source)
    {
        AddNormalizer(normalizer, source);
        AddPreTokenizer(preTokenizer, source);
    }

    /// <inheritdoc />
    public override bool SplitsAtSpaces => _normalizersLocal && _splitsAtSpaces;

    /// <inheritdoc />
    public override void Segment(string text, bool atStart, List<string> segments)
    {
        foreach (Func<string, string> normalize in _normalizers)
        {
            text = normalize(text);
        }

        List<string> pieces = [text];
        foreach (Func<List<string>, bool, List<string>> preTokenize in _preTokenizers)
        {
            pieces = preTokenize(pieces, atStart);
        }

        foreach (string piece in pieces)
        {
            if (piece.Length > 0)
            {
                segments.Add(piece);
            }
        }
    }

    private void AddNormalizer(JsonElement spec, string source)
    {
        if (spec.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return;
        }

        string type = spec.GetProperty("type").GetString() ?? "";
        switch (type)
        {
            case "Sequence":
                foreach (JsonElement inner in spec.GetProperty("normalizers").EnumerateArray())
                {
                    AddNormalizer(inner, source);
                }

                break;
            case "Precompiled":
                PrecompiledCharsMap? map = PrecompiledCharsMap.Parse(Convert.FromBase64String(spec.GetProperty("precompiled_charsmap").GetString() ?? ""));
                if (map is not null)
                {
                    _normalizers.Add(map.NormalizeLikeHuggingFace);
                }

                break;
            case "Strip":
                bool left = Flag(spec, "strip_left", true), right = Flag(spec, "strip_right", true);
                _normalizers.Add(text => Strip(text, left, right));
                break;
            case "Replace":
                string content = spec.GetProperty("content").GetString() ?? "";
                JsonElement pattern = spec.GetProperty("pattern");
                if (pattern.TryGetProperty("Regex", out JsonElement regex))
                {
                    // A regex that matches only whitespace (" {2,}", "\\s+") cannot reach across the character before a cut.
                    _normalizersLocal &= (regex.GetString() ?? "").Replace("\\s", "", StringComparison.Ordinal).All(c => c is ' ' or '{' or '}' or ',' or '+' or '*' or '?' or (>= '0' and <= '9'));
                    var compiled = new Regex(regex.GetString() ?? "", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(10));
                    _normalizers.Add(text => compiled.Replace(text, content.Replace("$", "$$", StringComparison.Ordinal)));
                }
                else
                {
                    string literal = pattern.GetProperty("String").GetString() ?? "";
                    _normalizersLocal &= !literal.Any(char.IsWhiteSpace);
                    _normalizers.Add(text => literal.Length == 0 ? text : text.Replace(literal, content, StringComparison.Ordinal));
                }

                break;
            case "Prepend":
                string prefix = spec.GetProperty("prepend").GetString() ?? "";
                _normalizers.Add(text => text.Length == 0 ? text : prefix + text);
                break;
            case "Lowercase":
                _normalizers.Add(text => text.ToLowerInvariant());
                break;
            case "NFC" or "NFD" or "NFKC" or "NFKD":
                NormalizationForm form = type switch
                {
                    "NFC" => NormalizationForm.FormC,
                    "NFD" => NormalizationForm.FormD,
                    "NFKC" => NormalizationForm.FormKC,
                    _ => NormalizationForm.FormKD,
                };
                _normalizers.Add(text => text.Normalize(form));
                break;
            default:
                throw new NotSupportedException($"'{source}' uses the normalizer type '{type}', which Rerank.Onnx does not support for unigram models (supported: Precompiled, Strip, Replace, Prepend, Lowercase, NFC, NFD, NFKC, NFKD, Sequence).");
        }
    }

    private void AddPreTokenizer(JsonElement spec, string source)
    {
        if (spec.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return;
        }

        string type = spec.GetProperty("type").GetString() ?? "";
        switch (type)
        {
            case "Sequence":
                foreach (JsonElement inner in spec.GetProperty("pretokenizers").EnumerateArray())
                {
                    AddPreTokenizer(inner, source);
                }

                break;
            case "Metaspace":
                string replacement = spec.TryGetProperty("replacement", out JsonElement r) ? r.GetString() ?? "\u2581" : "\u2581";
                string prependScheme = spec.TryGetProperty("prepend_scheme", out JsonElement scheme)
                    ? scheme.GetString() ?? "always"
                    : Flag(spec, "add_prefix_space", true) ? "always" : "never";
                bool split = Flag(spec, "split", true);
                _splitsAtSpaces |= split;
                _preTokenizers.Add((pieces, atStart) => Metaspace(pieces, replacement, prependScheme == "always" || (prependScheme == "first" && atStart), split));
                break;
            case "WhitespaceSplit":
                _splitsAtSpaces = true;
                _preTokenizers.Add((pieces, _) => [.. pieces.SelectMany(p => p.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))]);
                break;
            default:
                throw new NotSupportedException($"'{source}' uses the pre_tokenizer type '{type}', which Rerank.Onnx does not support for unigram models (supported: Metaspace, WhitespaceSplit, Sequence).");
        }
    }

    // tokenizers' Metaspace: spaces become the replacement, which is prepended unless already there (prepend_scheme
    // "first": only to the text at the start of the input, not after an added token), then every replacement starts a
    // new piece (SplitDelimiterBehavior::MergedWithNext).
    private static List<string> Metaspace(List<string> pieces, string replacement, bool prepend, bool split)
    {
        var output = new List<string>(pieces.Count * 4);
        foreach (string original in pieces)
        {
            if (original.Length == 0)
            {
                continue;
            }

            string text = original.Replace(" ", replacement, StringComparison.Ordinal);
            if (prepend && !text.StartsWith(replacement, StringComparison.Ordinal))
            {
                text = replacement + text;
            }

            if (!split)
            {
                output.Add(text);
                continue;
            }

            int start = 0;
            int next;
            while ((next = text.IndexOf(replacement, start + 1, StringComparison.Ordinal)) > 0)
            {
                output.Add(text[start..next]);
                start = next;
            }

            output.Add(text[start..]);
        }

        return output;
    }

    private static string Strip(string text, bool left, bool right)
    {
        int start = 0, end = text.Length;
        while (left && start < end && Rune.DecodeFromUtf16(text.AsSpan(start), out Rune rune, out int width) == System.Buffers.OperationStatus.Done && BertCharacters.IsWhitespace(rune))
        {
            start += width;
        }

        while (right && end > start && Rune.DecodeLastFromUtf16(text.AsSpan(start, end - start), out Rune rune, out int width) == System.Buffers.OperationStatus.Done && BertCharacters.IsWhitespace(rune))
        {
            end -= width;
        }

        return text[start..end];
    }

    private static bool Flag(JsonElement spec, string name, bool fallback) =>
        spec.TryGetProperty(name, out JsonElement value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : fallback;
}
