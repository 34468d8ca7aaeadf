using System.Globalization;
using Microsoft.Extensions.AI;

namespace Rerank;

/// <summary>Asks an <see cref="IChatClient"/> for query variants, one per line.</summary>
internal static class ChatQueryVariantGenerator
{
    internal const string SystemPrompt =
        "You rewrite search queries for a document retrieval system. Given a query, write alternative queries that would " +
        "find the same relevant documents: one with synonyms, one more specific, one more general, and so on. " +
        "Answer with the queries only, one per line, without numbering or commentary.";

    public static QueryVariantGenerator Create(IChatClient chatClient, int maxVariantLength) => async (query, maxVariants, cancellationToken) =>
    {
        ChatMessage[] messages =
        [
            new(ChatRole.System, SystemPrompt),
            new(ChatRole.User, string.Create(CultureInfo.InvariantCulture, $"Write up to {maxVariants} alternative queries for:\n{query}")),
        ];
        ChatResponse response = await chatClient.GetResponseAsync(messages, new ChatOptions { Temperature = 0 }, cancellationToken).ConfigureAwait(false);
        return QueryVariantParser.Parse(response.Text, maxVariantLength);
    };
}
