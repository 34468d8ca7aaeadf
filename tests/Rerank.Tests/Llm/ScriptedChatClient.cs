using System.Collections.Concurrent;
using Microsoft.Extensions.AI;

namespace Rerank.Tests.Llm;

/// <summary>One call a fake chat client received.</summary>
public sealed record RecordedChatCall(IReadOnlyList<ChatMessage> Messages, ChatOptions? Options, CancellationToken CancellationToken)
{
    public string System => Messages.Single(m => m.Role == ChatRole.System).Text;

    public string User => Messages.Single(m => m.Role == ChatRole.User).Text;

    public PromptReader Prompt => new(User);
}

/// <summary>
/// A chat client that answers from a script: each call takes the next reply (the last one repeats). A reply is a
/// callback, so a test can return text, throw, or wait on the cancellation token.
/// </summary>
public sealed class ScriptedChatClient : IChatClient
{
    private readonly Func<RecordedChatCall, int, CancellationToken, Task<ChatResponse>>[] _replies;
    private readonly ConcurrentQueue<RecordedChatCall> _calls = new();
    private int _next = -1;

    public ScriptedChatClient(params Func<RecordedChatCall, int, CancellationToken, Task<ChatResponse>>[] replies)
    {
        _replies = replies;
    }

    /// <summary>A client that answers each call with the next text (the last repeats).</summary>
    public static ScriptedChatClient FromTexts(params string[] texts) =>
        new([.. texts.Select(t => (Func<RecordedChatCall, int, CancellationToken, Task<ChatResponse>>)((_, _, _) => Task.FromResult(Reply(t))))]);

    public static ChatResponse Reply(string text, UsageDetails? usage = null, string? modelId = null) =>
        new(new ChatMessage(ChatRole.Assistant, text)) { Usage = usage, ModelId = modelId, ResponseId = Guid.NewGuid().ToString("N") };

    public IReadOnlyList<RecordedChatCall> Calls => [.. _calls];

    public bool Disposed { get; private set; }

    public ChatClientMetadata Metadata { get; set; } = new("scripted", new Uri("http://127.0.0.1/scripted"), "scripted-model");

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var call = new RecordedChatCall([.. messages], options, cancellationToken);
        _calls.Enqueue(call);
        int index = Interlocked.Increment(ref _next);
        await Task.Yield();
        return await _replies[Math.Min(index, _replies.Length - 1)](call, index, cancellationToken);
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The reranker does not stream.");

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(ChatClientMetadata) ? Metadata
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose() => Disposed = true;
}
