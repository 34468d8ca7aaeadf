using Microsoft.Extensions.AI;

namespace Rerank;

/// <summary>Turns any <see cref="IChatClient"/> (OpenAI, Azure OpenAI, Ollama, ...) into an <see cref="IReranker"/>.</summary>
public static class ChatClientRerankerExtensions
{
    /// <summary>Creates a reranker that asks <paramref name="chatClient"/> to judge the relevance of documents to a query.</summary>
    /// <param name="chatClient">The chat client, possibly a pipeline built with <c>ChatClientBuilder</c>.</param>
    /// <param name="options">The options, or <see langword="null"/> for pointwise scoring with the defaults. They are checked and copied now.</param>
    /// <returns>A reranker that is safe to share between concurrent callers.</returns>
    /// <remarks>
    /// <para>
    /// Every document is cut to <see cref="LlmRerankerOptions.MaxCharactersPerDocument"/> and fenced as
    /// <c>&lt;document id="…"&gt;</c> untrusted content; the prompt tells the model that text inside documents is
    /// material to judge, never instructions. Scores are matched to documents only by id, never by position, and every
    /// repair of malformed output is listed in <see cref="RerankResponse.AdditionalProperties"/> under
    /// <see cref="RerankResponseProperties.LlmRepairs"/>. Token usage of every chat call is summed into
    /// <see cref="RerankResponse.Usage"/>; the chat responses are in <see cref="RerankResponse.RawRepresentation"/>.
    /// </para>
    /// <para>
    /// Exceptions of the chat client reach the caller unchanged, so that retry and fallback policies see the provider's
    /// own exception; output that stays unusable after the retries throws <see cref="LlmRerankerException"/>. A request that
    /// would need more than <see cref="LlmRerankerOptions.MaxChatCalls"/> chat calls is refused with an <see cref="ArgumentException"/>.
    /// Disposing the reranker does not dispose <paramref name="chatClient"/>. <see cref="IReranker.GetService"/> answers
    /// <see cref="RerankerMetadata"/> itself and asks the chat client for anything else.
    /// </para>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="chatClient"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="ArgumentException">A prompt template is empty, a user template lacks the <c>{documents}</c> placeholder, or neither template of a mode has <c>{query}</c>.</exception>
    public static IReranker AsReranker(this IChatClient chatClient, LlmRerankerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(chatClient);
        LlmRerankerOptions copy = options?.Clone() ?? new LlmRerankerOptions();
        copy.Validate();
        return new ChatClientReranker(chatClient, copy);
    }
}
