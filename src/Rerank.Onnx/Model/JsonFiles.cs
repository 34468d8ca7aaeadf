using System.Globalization;
using System.Text.Json;

namespace Rerank.Onnx.Model;

/// <summary>Reads the JSON files of a Hugging Face model folder, turning every failure into an <see cref="OnnxModelLoadException"/> that names the file.</summary>
internal static class JsonFiles
{
    private static readonly JsonDocumentOptions Options = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    public static JsonDocument Parse(string path)
    {
        try
        {
            using FileStream stream = File.OpenRead(path);
            return JsonDocument.Parse(stream, Options);
        }
        catch (JsonException ex)
        {
            throw new OnnxModelLoadException($"'{path}' is not valid JSON: {ex.Message}", path, ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OnnxModelLoadException($"'{path}' could not be read: {ex.Message}", path, ex);
        }
    }

    public static string? GetString(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>Reads an integer; a number too large for <see cref="int"/> (tokenizer_config's 1e30 "no limit") reads as <see cref="int.MaxValue"/>.</summary>
    public static int? GetInt(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out JsonElement value) || value.ValueKind != JsonValueKind.Number)
        {
            return null;
        }

        if (value.TryGetInt32(out int small))
        {
            return small;
        }

        double large = double.Parse(value.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture);
        return large > int.MaxValue ? int.MaxValue : large < int.MinValue ? int.MinValue : (int)large;
    }
}
