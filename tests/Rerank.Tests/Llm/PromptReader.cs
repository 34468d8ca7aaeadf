using System.Text.RegularExpressions;

namespace Rerank.Tests.Llm;

/// <summary>Reads the query and the fenced documents back out of a prompt the reranker built, as a model would see them.</summary>
public sealed partial class PromptReader(string prompt)
{
    public string Query => QueryFence().Match(prompt) is { Success: true } match ? match.Groups["q"].Value : throw new InvalidOperationException("The prompt has no <query> fence.");

    public IReadOnlyList<(string Id, string Text)> Documents =>
        [.. DocumentFence().Matches(prompt).Select(m => (m.Groups["id"].Value, m.Groups["text"].Value))];

    [GeneratedRegex(@"<query>\n(?<q>.*?)\n</query>", RegexOptions.Singleline)]
    private static partial Regex QueryFence();

    [GeneratedRegex(@"<document id=""(?<id>[^""]*)"">\n(?<text>.*?)\n</document>", RegexOptions.Singleline)]
    private static partial Regex DocumentFence();
}
