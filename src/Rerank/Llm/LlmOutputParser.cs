using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Rerank;

/// <summary>
/// Reads scores and rankings out of model output. JSON is preferred and may be wrapped in prose or code fences;
/// simple text forms (<c>d3: 7</c>, <c>[3] &gt; [1] &gt; [2]</c>) are accepted as a fallback. Every entry keeps the id the
/// model wrote, so callers map by id and never by position.
/// </summary>
internal static partial class LlmOutputParser
{
    // Each failed parse may read to the end of the output; the cap keeps a pathological output from costing quadratic time.
    private const int MaxParseAttempts = 256;

    // How deep inside wrapper objects an answer is looked for.
    private const int MaxNesting = 3;

    /// <summary>One score as the model wrote it.</summary>
    /// <param name="Id">The id as written, or <see langword="null"/> when the entry had none.</param>
    /// <param name="Score">The score, or NaN when it was missing or not a number.</param>
    internal readonly record struct ScoreEntry(string? Id, double Score);

    /// <summary>Reads pointwise scores: <c>{"scores":[{"id":"d1","score":7}]}</c>, a bare array of such entries, <c>{"scores":{"d1":7}}</c>, or <c>d1: 7</c> lines.</summary>
    /// <param name="text">The model's output.</param>
    /// <param name="isRequested">
    /// Whether an id was asked for. When the output holds several JSON answers (a model may echo the example of the prompt
    /// before its own), the one naming the most distinct requested ids wins, and of those the last; <see langword="null"/>
    /// counts every id.
    /// </param>
    /// <returns>The entries in output order, or <see langword="null"/> when the output holds no entry at all.</returns>
    public static List<ScoreEntry>? ParseScores(string? text, Func<string, bool>? isRequested = null)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var answers = new List<(List<ScoreEntry> Entries, int End)>();
        foreach ((JsonElement value, int end) in JsonValues(text))
        {
            if (ScoresFrom(value) is { Count: > 0 } entries)
            {
                answers.Add((entries, end));
            }
        }

        if (Best(answers, a => a.Entries.Select(e => e.Id), isRequested) is { } best)
        {
            return best.Entries;
        }

        var pairs = new List<ScoreEntry>();
        foreach (Match match in ScorePair().Matches(text))
        {
            pairs.Add(new ScoreEntry(match.Groups["id"].Value, ParseNumber(match.Groups["score"].Value)));
        }

        return pairs.Count > 0 ? pairs : null;
    }

    /// <summary>
    /// Reads a listwise ranking: <c>{"ranking":[3,1,2]}</c>, a JSON array of ids, a chain <c>[3] &gt; [1] &gt; [2]</c>
    /// (also inside prose), or the whole output written as <c>3 &gt; 1 &gt; 2</c>.
    /// </summary>
    /// <param name="text">The model's output.</param>
    /// <param name="isRequested">
    /// Whether an id was in the window. Of every JSON ranking and every <c>&gt;</c> chain in the output, the one naming
    /// the most distinct requested ids wins, and of those the last (an echoed example or a first guess comes before the
    /// answer); ids merely mentioned in prose (<c>[2] is weak</c>) are read only when the output holds no ranking at all.
    /// <see langword="null"/> counts every id.
    /// </param>
    /// <returns>
    /// The ids as written, most relevant first, or <see langword="null"/> when the output holds no ranking. Entries of a JSON
    /// ranking that are no id (<c>null</c>, <c>true</c>, an object) are kept as their JSON text, so the caller reports them
    /// as unknown ids instead of losing the rest of the ranking.
    /// </returns>
    public static List<string>? ParseRanking(string? text, Func<string, bool>? isRequested = null)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var answers = new List<(List<string> Ids, int End)>();
        foreach ((JsonElement value, int end) in JsonValues(text))
        {
            if (value.ValueKind == JsonValueKind.Object)
            {
                if (RankingFrom(value, depth: 0) is { Count: > 0 } ranked)
                {
                    answers.Add((ranked, end));
                }
            }
            else if (value.GetArrayLength() >= 2 && IdsFrom(value) is { Count: > 0 } ids)
            {
                // A one-element array is indistinguishable from "[3]" in "[3] > [1]"; the chain and bracket forms below read those.
                answers.Add((ids, end));
            }
        }

        foreach (Match chain in RankingChain().Matches(text))
        {
            answers.Add(([.. chain.Groups["id"].Captures.Select(c => c.Value)], Encoding.UTF8.GetByteCount(text.AsSpan(0, chain.Index + chain.Length))));
        }

        if (Best(answers, a => a.Ids, isRequested) is { } best)
        {
            return best.Ids;
        }

        var bracketed = new List<string>();
        foreach (Match match in BracketedId().Matches(text))
        {
            bracketed.Add(match.Groups["id"].Value);
        }

        if (bracketed.Count > 0)
        {
            return bracketed;
        }

        string bare = StripCodeFence(text).Trim();
        return BareChain().IsMatch(bare)
            ? [.. bare.Split(['>', ',', ' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries)]
            : null;
    }

    /// <summary>Reads an id written as <c>d3</c>, <c>3</c> or <c>[3]</c>.</summary>
    /// <returns>The positive number, or -1 when <paramref name="raw"/> is no such id.</returns>
    public static int ParseId(string? raw)
    {
        ReadOnlySpan<char> span = raw.AsSpan().Trim();
        if (span.Length >= 2 && span[0] == '[' && span[^1] == ']')
        {
            span = span[1..^1].Trim();
        }

        if (span.Length > 0 && (span[0] == 'd' || span[0] == 'D'))
        {
            span = span[1..];
        }

        return int.TryParse(span, NumberStyles.None, CultureInfo.InvariantCulture, out int id) && id > 0 ? id : -1;
    }

    /// <summary>Shortens model output for an exception message or a log.</summary>
    public static string? Shorten(string? text, int maxLength = 2000) =>
        text is null || text.Length <= maxLength ? text : string.Concat(text.AsSpan(0, maxLength), "\u2026");

    /// <summary>
    /// Of several answers found in one output, the one that names the most distinct requested ids; of those, the one that
    /// ends last, because a model writes an echoed example or a first guess before its answer.
    /// </summary>
    private static T? Best<T>(List<T> answers, Func<T, IEnumerable<string?>> ids, Func<string, bool>? isRequested)
        where T : struct
    {
        T? best = null;
        int bestCount = -1;
        foreach (T answer in answers)
        {
            // "d3", "3" and "[3]" are one id.
            int count = ids(answer).OfType<string>()
                .Where(id => isRequested?.Invoke(id) ?? true)
                .Select(id => ParseId(id) is int n and > 0 ? n.ToString(CultureInfo.InvariantCulture) : id)
                .Distinct(StringComparer.Ordinal)
                .Count();
            if (count >= bestCount)
            {
                best = answer;
                bestCount = count;
            }
        }

        return best;
    }

    /// <summary>Every JSON object or array in <paramref name="text"/>, in order, with the UTF-8 offset where it ends; text around and between them is skipped.</summary>
    private static IEnumerable<(JsonElement Value, int End)> JsonValues(string text)
    {
        // '{' and '[' are ASCII, and UTF-8 never uses ASCII bytes inside a multi-byte sequence, so a byte scan finds them all.
        byte[] utf8 = Encoding.UTF8.GetBytes(text);
        int attempts = 0;
        for (int position = 0; position < utf8.Length && attempts < MaxParseAttempts; position++)
        {
            if (utf8[position] is not ((byte)'{' or (byte)'['))
            {
                continue;
            }

            attempts++;
            JsonElement? value = TryParseAt(utf8, position, out int consumed);
            if (value is JsonElement element)
            {
                yield return (element, position + consumed);
                position += consumed - 1;
            }
        }
    }

    private static JsonElement? TryParseAt(byte[] utf8, int position, out int consumed)
    {
        var reader = new Utf8JsonReader(utf8.AsSpan(position), new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        try
        {
            if (JsonDocument.TryParseValue(ref reader, out JsonDocument? document))
            {
                using (document)
                {
                    consumed = (int)reader.BytesConsumed;
                    return document.RootElement.Clone();
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON from here; the caller tries the next brace.
        }

        consumed = 0;
        return null;
    }

    private static List<string>? RankingFrom(JsonElement value, int depth)
    {
        foreach (JsonProperty property in value.EnumerateObject())
        {
            if (IsName(property, "ranking", "order", "permutation") && property.Value.ValueKind == JsonValueKind.Array
                && IdsFrom(property.Value) is { Count: > 0 } ranked)
            {
                return ranked;
            }
        }

        return depth < MaxNesting ? FirstNested(value, depth, RankingFrom) : null;
    }

    private static List<ScoreEntry>? ScoresFrom(JsonElement value) => value.ValueKind == JsonValueKind.Array ? EntriesFrom(value) : ScoresFrom(value, depth: 0);

    private static List<ScoreEntry>? ScoresFrom(JsonElement value, int depth)
    {
        JsonElement? id = null, score = null;
        foreach (JsonProperty property in value.EnumerateObject())
        {
            if (IsName(property, "scores", "results", "ratings"))
            {
                if (property.Value.ValueKind == JsonValueKind.Array)
                {
                    return EntriesFrom(property.Value);
                }

                if (property.Value.ValueKind == JsonValueKind.Object)
                {
                    // {"scores":{"d1":7,"d2":3}}: the ids are the property names.
                    return [.. property.Value.EnumerateObject().Select(p => new ScoreEntry(p.Name, NumberFrom(p.Value)))];
                }
            }
            else if (IsName(property, "id"))
            {
                id = property.Value;
            }
            else if (IsName(property, "score", "relevance"))
            {
                score = property.Value;
            }
        }

        // A single entry, as a model may answer for a batch of one.
        if (id is JsonElement singleId && score is JsonElement singleScore)
        {
            return [new ScoreEntry(IdFrom(singleId), NumberFrom(singleScore))];
        }

        return depth < MaxNesting ? FirstNested(value, depth, ScoresFrom) : null;
    }

    /// <summary>Looks inside the object-valued properties of <paramref name="value"/>, for answers wrapped as <c>{"result":{"scores":[…]}}</c>.</summary>
    private static List<T>? FirstNested<T>(JsonElement value, int depth, Func<JsonElement, int, List<T>?> read)
    {
        foreach (JsonProperty property in value.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Object && read(property.Value, depth + 1) is { Count: > 0 } found)
            {
                return found;
            }
        }

        return null;
    }

    private static List<ScoreEntry> EntriesFrom(JsonElement array)
    {
        var entries = new List<ScoreEntry>();
        foreach (JsonElement item in array.EnumerateArray())
        {
            // Bare numbers ([7, 3, 5]) carry no id and are skipped: scores are never matched to documents by position.
            if (item.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            string? id = null;
            double score = double.NaN;
            foreach (JsonProperty property in item.EnumerateObject())
            {
                if (IsName(property, "id", "document_id", "doc_id"))
                {
                    id = IdFrom(property.Value);
                }
                else if (IsName(property, "score", "relevance"))
                {
                    score = NumberFrom(property.Value);
                }
            }

            entries.Add(new ScoreEntry(id, score));
        }

        return entries;
    }

    /// <summary>The ids of a JSON ranking; an entry that is no id is kept as its JSON text so that it is reported, not fatal.</summary>
    /// <returns>The entries, or <see langword="null"/> when not one of them is a string or a number (an array of something else).</returns>
    private static List<string>? IdsFrom(JsonElement array)
    {
        var ids = new List<string>();
        bool anyId = false;
        foreach (JsonElement item in array.EnumerateArray())
        {
            string? id = IdFrom(item);
            anyId |= id is not null;
            ids.Add(id ?? Shorten(item.GetRawText(), 40)!);
        }

        return anyId ? ids : null;
    }

    private static string? IdFrom(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        _ => null,
    };

    private static double NumberFrom(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetDouble(out double number) => number,
        JsonValueKind.String => ParseNumber(value.GetString()),
        _ => double.NaN,
    };

    private static double ParseNumber(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) ? number : double.NaN;

    private static bool IsName(JsonProperty property, params ReadOnlySpan<string> names)
    {
        foreach (string name in names)
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static string StripCodeFence(string text)
    {
        Match match = CodeFence().Match(text);
        return match.Success ? match.Groups["body"].Value : text;
    }

    [GeneratedRegex(@"(?:\[\s*(?<id>[dD]?\d+)\s*\]|\b(?<id>[dD]\d+)\b)""?\s*[:=]\s*(?<score>[-+]?\d+(?:\.\d+)?)", RegexOptions.CultureInvariant)]
    private static partial Regex ScorePair();

    [GeneratedRegex(@"\[\s*(?<id>[dD]?\d+)\s*\]", RegexOptions.CultureInvariant)]
    private static partial Regex BracketedId();

    // Bracketed or d-prefixed ids joined by '>'; bare numbers joined by '>' inside prose ("0.9 > 0.5") are too often no ranking.
    [GeneratedRegex(@"(?:\[\s*(?<id>[dD]?\d+)\s*\]|\b(?<id>[dD]\d+)\b)(?:\s*>\s*(?:\[\s*(?<id>[dD]?\d+)\s*\]|\b(?<id>[dD]\d+)\b))+", RegexOptions.CultureInvariant)]
    private static partial Regex RankingChain();

    [GeneratedRegex(@"^[dD]?\d+(?:(?:\s*[>,]\s*|\s+)[dD]?\d+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex BareChain();

    [GeneratedRegex(@"```[a-zA-Z]*\s*(?<body>.*?)```", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex CodeFence();
}
