using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Rerank.Tests.Llm;

/// <summary>
/// A deterministic stand-in for an LLM: it reads the query and documents out of the prompt and answers as a perfectly
/// obedient model would, from a relevance function — scores as JSON (pointwise) or a permutation (listwise).
/// </summary>
public sealed class RelevanceChatClient(Func<string, string, double> relevance, LlmRerankMode mode, bool jsonRanking = false) : IChatClient
{
    private long _calls;
    private int _inFlight;
    private int _maxInFlight;

    public long Calls => Interlocked.Read(ref _calls);

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>The documents of each call, in call order (only recorded when asked, to keep contract runs light).</summary>
    public List<IReadOnlyList<(string Id, string Text)>>? Windows { get; init; }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        int inFlight = Interlocked.Increment(ref _inFlight);
        int max;
        while (inFlight > (max = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, inFlight, max) != max)
        {
        }

        try
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            var prompt = new PromptReader(messages.Single(m => m.Role == ChatRole.User).Text);
            string query = prompt.Query;
            IReadOnlyList<(string Id, string Text)> documents = prompt.Documents;
            if (Windows is not null)
            {
                lock (Windows)
                {
                    Windows.Add(documents);
                }
            }

            string text = mode == LlmRerankMode.Pointwise
                ? JsonSerializer.Serialize(new { scores = documents.Select(d => new { id = d.Id, score = relevance(query, d.Text) }) })
                : Ranking(documents.OrderByDescending(d => relevance(query, d.Text)).Select(d => d.Id).ToList());
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, text))
            {
                ModelId = "relevance-model",
                Usage = new UsageDetails { InputTokenCount = documents.Count * 10, OutputTokenCount = documents.Count, TotalTokenCount = documents.Count * 11 },
            };
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private string Ranking(List<string> ids) => jsonRanking
        ? JsonSerializer.Serialize(new { ranking = ids.Select(id => int.Parse(id, CultureInfo.InvariantCulture)) })
        : string.Join(" > ", ids.Select(id => $"[{id}]"));

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The reranker does not stream.");

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
