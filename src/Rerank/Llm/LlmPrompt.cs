using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace Rerank;

/// <summary>Builds the messages of one LLM call: truncation, fencing of untrusted text and single-pass template rendering.</summary>
internal static partial class LlmPrompt
{
    private const string Ellipsis = "\u2026";

    /// <summary>Groups identical texts, cuts each to <paramref name="maxCharacters"/> and neutralises fence tags inside it.</summary>
    /// <param name="documents">The caller's documents.</param>
    /// <param name="maxCharacters">The most characters of a text that reach the prompt.</param>
    /// <param name="truncatedDocuments">How many of the caller's documents were cut.</param>
    /// <returns>The distinct texts in order of first appearance.</returns>
    public static List<LlmCandidate> CreateCandidates(IReadOnlyList<RerankDocument> documents, int maxCharacters, out int truncatedDocuments)
    {
        // Identical texts are sent once: it saves tokens, and a model cannot tell copies apart anyway, so they must share a score.
        var byText = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var order = new List<string>();
        truncatedDocuments = 0;
        for (int i = 0; i < documents.Count; i++)
        {
            string text = documents[i].Text;
            if (text.Length > maxCharacters)
            {
                truncatedDocuments++;
            }

            if (!byText.TryGetValue(text, out List<int>? indices))
            {
                byText[text] = indices = [];
                order.Add(text);
            }

            indices.Add(i);
        }

        var candidates = new List<LlmCandidate>(order.Count);
        foreach (string text in order)
        {
            candidates.Add(new LlmCandidate(Neutralize(Truncate(text, maxCharacters)), byText[text]));
        }

        return candidates;
    }

    /// <summary>Cuts <paramref name="text"/> to at most <paramref name="maxCharacters"/> characters plus an ellipsis, never inside a surrogate pair.</summary>
    public static string Truncate(string text, int maxCharacters)
    {
        if (text.Length <= maxCharacters)
        {
            return text;
        }

        int length = maxCharacters;
        if (char.IsHighSurrogate(text[length - 1]))
        {
            length--;
        }

        return string.Concat(text.AsSpan(0, length), Ellipsis);
    }

    /// <summary>
    /// Makes fence tags inside untrusted text inert: <c>&lt;/document&gt;</c>, <c>&lt;document id="1"&gt;</c>,
    /// <c>&lt;query&gt;</c> and their variants (case, spaces) get their <c>&lt;</c> escaped, so that text can neither close
    /// its own fence nor forge another document.
    /// </summary>
    public static string Neutralize(string text) =>
        text.Contains('<', StringComparison.Ordinal) ? FenceTag().Replace(text, "&lt;${tag}") : text;

    /// <summary>Fences the query as untrusted content.</summary>
    public static string FenceQuery(string query) => $"<query>\n{Neutralize(query)}\n</query>";

    /// <summary>
    /// Renders the system and user messages of one call. Placeholders are replaced in a single pass over the template,
    /// so text from the query or a document is never scanned for placeholders.
    /// </summary>
    /// <param name="systemTemplate">The system prompt template.</param>
    /// <param name="userTemplate">The user prompt template.</param>
    /// <param name="fencedQuery">The query, already fenced.</param>
    /// <param name="ids">The ids of the documents in this call, in prompt order.</param>
    /// <param name="texts">The candidates' prompt texts, one per id.</param>
    /// <param name="minScore">The lowest score of the scale.</param>
    /// <param name="maxScore">The highest score of the scale.</param>
    public static ChatMessage[] Build(
        string systemTemplate,
        string userTemplate,
        string fencedQuery,
        IReadOnlyList<string> ids,
        IReadOnlyList<string> texts,
        double minScore,
        double maxScore)
    {
        var documents = new StringBuilder();
        for (int i = 0; i < ids.Count; i++)
        {
            if (i > 0)
            {
                documents.Append('\n');
            }

            documents.Append("<document id=\"").Append(ids[i]).Append("\">\n").Append(texts[i]).Append("\n</document>");
        }

        string documentsText = documents.ToString();
        string Value(string name) => name switch
        {
            "query" => fencedQuery,
            "documents" => documentsText,
            "count" => ids.Count.ToString(CultureInfo.InvariantCulture),
            "ids" => string.Join(", ", ids),
            "min_score" => minScore.ToString("G", CultureInfo.InvariantCulture),
            "max_score" => maxScore.ToString("G", CultureInfo.InvariantCulture),
            _ => throw new InvalidOperationException($"Unknown placeholder {name}."),
        };

        return
        [
            new ChatMessage(ChatRole.System, Render(systemTemplate, Value)),
            new ChatMessage(ChatRole.User, Render(userTemplate, Value)),
        ];
    }

    /// <summary>Replaces the known <c>{name}</c> placeholders of <paramref name="template"/> in one pass; other braces stay as written.</summary>
    public static string Render(string template, Func<string, string> value)
    {
        var result = new StringBuilder(template.Length + 256);
        int i = 0;
        while (i < template.Length)
        {
            int open = template.IndexOf('{', i);
            if (open < 0)
            {
                result.Append(template, i, template.Length - i);
                break;
            }

            result.Append(template, i, open - i);
            int close = template.IndexOf('}', open + 1);
            string? name = close < 0 ? null : template[(open + 1)..close];
            if (name is "query" or "documents" or "count" or "ids" or "min_score" or "max_score")
            {
                result.Append(value(name));
                i = close + 1;
            }
            else
            {
                result.Append('{');
                i = open + 1;
            }
        }

        return result.ToString();
    }

    [GeneratedRegex(@"<(?<tag>[\s\p{Cf}]*/?[\s\p{Cf}]*(?:document|query)\b)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FenceTag();
}
