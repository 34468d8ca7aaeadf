using Microsoft.Extensions.AI;

namespace Rerank;

/// <summary>
/// The state of one <see cref="IReranker.RerankAsync"/> call on an LLM reranker: the candidates, the chat options, and
/// what the chat calls returned and what was repaired. Pointwise batches report into it concurrently.
/// </summary>
internal sealed class LlmRerankCall
{
    private readonly Lock _gate = new();
    private readonly List<(int Unit, ChatResponse Response)> _responses = [];
    private readonly List<(int Unit, LlmOutputRepair Repair)> _repairs = [];
    private readonly ChatOptions _chatOptions;
    private int _retriesLeft;

    public LlmRerankCall(IChatClient chatClient, LlmRerankerOptions options, string query, IReadOnlyList<LlmCandidate> candidates, ChatOptions chatOptions)
    {
        ChatClient = chatClient;
        Options = options;
        FencedQuery = LlmPrompt.FenceQuery(query);
        Candidates = candidates;
        _chatOptions = chatOptions;
        _retriesLeft = options.MaxChatCalls - options.PlannedChatCalls(candidates.Count);
    }

    public IChatClient ChatClient { get; }

    public LlmRerankerOptions Options { get; }

    public string FencedQuery { get; }

    public IReadOnlyList<LlmCandidate> Candidates { get; }

    /// <summary>Sends one prompt and records the response under <paramref name="unit"/> (the batch or window number).</summary>
    public async Task<string> SendAsync(int unit, ChatMessage[] messages, CancellationToken cancellationToken)
    {
        // A clone per call: chat middleware may change the options it is given.
        ChatResponse? response = await ChatClient.GetResponseAsync(messages, _chatOptions.Clone(), cancellationToken).ConfigureAwait(false);
        if (response is null)
        {
            // A broken chat client or middleware; said here, because a NullReferenceException deep in the parser names nothing.
            throw new LlmRerankerException(
                $"The chat client ({ChatClient.GetType().FullName}) returned a null ChatResponse from GetResponseAsync. " +
                "IChatClient implementations must return a response or throw; check the chat client and any middleware in its pipeline.",
                Options.Mode,
                modelOutput: null,
                attempts: 1);
        }

        lock (_gate)
        {
            _responses.Add((unit, response));
        }

        return response.Text;
    }

    /// <summary>Takes one retry from what <see cref="LlmRerankerOptions.MaxChatCalls"/> leaves after the planned calls.</summary>
    /// <returns><see langword="false"/> when the budget is spent and the caller must give up as if its retries were used.</returns>
    public bool TryReserveRetry()
    {
        int left = Volatile.Read(ref _retriesLeft);
        while (left > 0)
        {
            int seen = Interlocked.CompareExchange(ref _retriesLeft, left - 1, left);
            if (seen == left)
            {
                return true;
            }

            left = seen;
        }

        return false;
    }

    /// <summary>Records a repair; <paramref name="candidates"/> are candidate numbers, reported as the caller's indices.</summary>
    public void Report(int unit, LlmOutputRepairKind kind, IEnumerable<int> candidates, string? modelId, string detail)
    {
        int[] indices = [.. candidates.SelectMany(c => Candidates[c].Indices).Order()];
        lock (_gate)
        {
            _repairs.Add((unit, new LlmOutputRepair(kind, indices, modelId, detail)));
        }
    }

    /// <summary>The chat responses, in batch or window order.</summary>
    public IReadOnlyList<ChatResponse> Responses
    {
        get
        {
            lock (_gate)
            {
                return [.. _responses.OrderBy(r => r.Unit).Select(r => r.Response)];
            }
        }
    }

    /// <summary>The repairs, in batch or window order.</summary>
    public IReadOnlyList<LlmOutputRepair> Repairs
    {
        get
        {
            lock (_gate)
            {
                return [.. _repairs.OrderBy(r => r.Unit).Select(r => r.Repair)];
            }
        }
    }

    /// <summary>Sums the usage of every response; <see langword="null"/> when no response reported any.</summary>
    public static RerankUsage? SumUsage(IEnumerable<ChatResponse> responses)
    {
        RerankUsage? total = null;
        foreach (ChatResponse response in responses)
        {
            if (response.Usage is not UsageDetails usage)
            {
                continue;
            }

            total ??= new RerankUsage();
            total.Add(new RerankUsage
            {
                InputTokenCount = usage.InputTokenCount,
                OutputTokenCount = usage.OutputTokenCount,
                TotalTokenCount = usage.TotalTokenCount,
                AdditionalCounts = usage.AdditionalCounts is null ? null : new Dictionary<string, long>(usage.AdditionalCounts, StringComparer.Ordinal),
            });
        }

        return total;
    }

    /// <summary>Builds the messages for the candidates <paramref name="candidates"/>, named by <paramref name="ids"/>.</summary>
    public ChatMessage[] BuildMessages(string systemTemplate, string userTemplate, IReadOnlyList<string> ids, IEnumerable<int> candidates) =>
        LlmPrompt.Build(systemTemplate, userTemplate, FencedQuery, ids, [.. candidates.Select(c => Candidates[c].PromptText)], Options.MinScore, Options.MaxScore);
}
