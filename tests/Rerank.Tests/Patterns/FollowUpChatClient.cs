using Microsoft.Extensions.AI;
using Rerank.Tests.Llm;

namespace Rerank.Tests.Patterns;

/// <summary>
/// A scripted chat client for multi-hop tests that answers deterministically from the prompt it receives: the follow-up
/// is the first <see cref="Words"/> words of the first passage, so concurrent callers get answers of their own.
/// </summary>
public static class FollowUpChatClient
{
    public const int Words = 3;

    public static ScriptedChatClient Create() => new((call, _, _) =>
    {
        string user = call.User;
        int start = user.IndexOf("<passage>", StringComparison.Ordinal) + "<passage>".Length;
        int end = user.IndexOf("</passage>", start, StringComparison.Ordinal);
        string passage = user[start..end];
        return Task.FromResult(ScriptedChatClient.Reply(string.Join(' ', passage.Split(' ').Take(Words))));
    });

    /// <summary>The follow-up <see cref="Create"/> answers for a first passage.</summary>
    public static string FollowUpFor(string passage) => string.Join(' ', passage.Split(' ').Take(Words));
}
