using System.Text.Json;

namespace Rerank;

/// <summary>Reads query variants out of a model's reply, which may be a JSON array, a numbered list or garbage.</summary>
internal static class QueryVariantParser
{
    private static readonly char[] ListMarks = ['-', '*', '•', '"', '\'', '`', ' ', '\t', '.', ')', ':'];

    /// <summary>Returns the distinct, plausible variants in reply order: not the original, each with a letter or digit, at most <paramref name="maxLength"/> characters.</summary>
    public static List<string> Parse(string? reply, int maxLength)
    {
        var variants = new List<string>();
        if (string.IsNullOrWhiteSpace(reply))
        {
            return variants;
        }

        IEnumerable<string> candidates = TryJsonArray(reply.Trim()) ?? reply.Split('\n');
        foreach (string raw in candidates)
        {
            string line = raw.Trim();

            // "1. foo", "2) foo", "- foo", "\"foo\"": keep what follows the numbering and the marks.
            int start = 0;
            while (start < line.Length && char.IsAsciiDigit(line[start]))
            {
                start++;
            }

            line = start > 0 && start < line.Length && (line[start] is '.' or ')' or ':') ? line[(start + 1)..] : line;
            line = line.Trim(ListMarks).Trim();
            if (line.Length > 0 && line.Length <= maxLength && line.Any(char.IsLetterOrDigit) && !line.Any(char.IsControl))
            {
                variants.Add(line);
            }
        }

        return variants;
    }

    private static string[]? TryJsonArray(string text)
    {
        if (!text.StartsWith('['))
        {
            return null;
        }

        try
        {
            using JsonDocument json = JsonDocument.Parse(text);
            return json.RootElement.ValueKind == JsonValueKind.Array
                ? [.. json.RootElement.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)]
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
