namespace Rerank.Tests.Llm;

/// <summary><see cref="LlmRerankerOptions.MaxChatCalls"/>: a request's cost in chat calls is bounded before anything is sent, retries included.</summary>
[TestFixture]
public sealed class LlmChatCallBoundTests
{
    private const string Query = "how do plants make energy";

    private static string[] Texts(int count) => [.. Enumerable.Range(0, count).Select(i => $"document {i}")];

    [TestCase(LlmRerankMode.Pointwise, 10_000, 1_000)]
    [TestCase(LlmRerankMode.Listwise, 10_000, 999)]
    [TestCase(LlmRerankMode.Pointwise, 1_001, 101)]
    [TestCase(LlmRerankMode.Listwise, 1_011, 101)]
    public void A_request_needing_more_calls_than_the_default_bound_is_refused_before_any_call(LlmRerankMode mode, int documents, int calls)
    {
        var client = ScriptedChatClient.FromTexts("unused");
        using IReranker reranker = client.AsReranker(new LlmRerankerOptions { Mode = mode });

        ArgumentException ex = Assert.ThrowsAsync<ArgumentException>(() => reranker.RerankAsync(Query, Texts(documents)))!;

        Assert.That(ex.ParamName, Is.EqualTo("documents"));
        Assert.That(ex.Message, Does.Contain($"needs {calls} chat calls").And.Contain("LlmRerankerOptions.MaxChatCalls (100)"));
        Assert.That(client.Calls, Is.Empty);
    }

    [TestCase(LlmRerankMode.Pointwise, 1_000, 100)]
    [TestCase(LlmRerankMode.Listwise, 1_010, 100)]
    public async Task A_request_at_the_bound_is_served(LlmRerankMode mode, int documents, long calls)
    {
        var model = new RelevanceChatClient((_, text) => text.Length % 10, mode);
        using IReranker reranker = model.AsReranker(new LlmRerankerOptions { Mode = mode, MaxConcurrency = 8 });

        RerankResponse response = await reranker.RerankAsync(Query, Texts(documents));

        Assert.That(model.Calls, Is.EqualTo(calls));
        Assert.That(response.Results, Has.Count.EqualTo(documents));
    }

    [Test]
    public async Task Pointwise_retries_stop_when_the_budget_is_spent_and_missing_scores_are_defaulted()
    {
        // Two batches of two; each answer scores only its first document, so each batch would retry once.
        var client = ScriptedChatClient.FromTexts("""{"scores":[{"id":"d1","score":8}]}""");
        using IReranker reranker = client.AsReranker(new LlmRerankerOptions { BatchSize = 2, MaxConcurrency = 1, MaxChatCalls = 3 });

        RerankResponse response = await reranker.RerankAsync(Query, Texts(4));

        Assert.That(client.Calls, Has.Count.EqualTo(3), "two planned calls and the one retry the budget leaves");
        Assert.That(response.AdditionalProperties![RerankResponseProperties.LlmChatCalls], Is.EqualTo(3));
        var repairs = (IReadOnlyList<LlmOutputRepair>)response.AdditionalProperties[RerankResponseProperties.LlmRepairs]!;
        Assert.That(repairs.Count(r => r.Kind == LlmOutputRepairKind.MissingScoreDefaulted), Is.EqualTo(2));
    }

    [Test]
    public void Listwise_retries_stop_when_the_budget_is_spent()
    {
        var client = ScriptedChatClient.FromTexts("no ranking here");
        using IReranker reranker = client.AsReranker(new LlmRerankerOptions { Mode = LlmRerankMode.Listwise, MaxOutputRetries = 5, MaxChatCalls = 2 });

        Assert.ThrowsAsync<LlmRerankerException>(() => reranker.RerankAsync(Query, Texts(3)));
        Assert.That(client.Calls, Has.Count.EqualTo(2));
    }

    [TestCase(0)]
    [TestCase(-1)]
    public void A_bound_below_one_is_refused(int value)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => ScriptedChatClient.FromTexts("x").AsReranker(new LlmRerankerOptions { MaxChatCalls = value }));

        Assert.That(ex!.ParamName, Is.EqualTo(nameof(LlmRerankerOptions.MaxChatCalls)));
    }

    [Test]
    public void The_bound_is_copied_by_Clone()
    {
        Assert.That(new LlmRerankerOptions { MaxChatCalls = 7 }.Clone().MaxChatCalls, Is.EqualTo(7));
    }
}
