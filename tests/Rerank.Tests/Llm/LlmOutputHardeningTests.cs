using Microsoft.Extensions.AI;

namespace Rerank.Tests.Llm;

/// <summary>
/// Outputs that real models write and that once cost the whole answer or picked the wrong part of it: malformed entries
/// inside a ranking, ids mentioned in prose before the ranking, an echoed example before the answer, a null response.
/// </summary>
[TestFixture]
public sealed class LlmOutputHardeningTests
{
    private const string Query = "how do plants make energy";

    private static readonly LlmRerankerOptions Listwise = new() { Mode = LlmRerankMode.Listwise };

    private static IReadOnlyList<LlmOutputRepair> Repairs(RerankResponse response) =>
        (IReadOnlyList<LlmOutputRepair>)response.AdditionalProperties![RerankResponseProperties.LlmRepairs]!;

    [Test]
    public async Task Malformed_entries_of_a_json_ranking_are_ignored_and_reported_and_the_rest_is_kept()
    {
        var client = ScriptedChatClient.FromTexts("""{"ranking":[3, null, "d1", true, 2]}""");
        using IReranker reranker = client.AsReranker(Listwise);

        RerankResponse response = await reranker.RerankAsync(Query, ["a", "b", "c"]);

        Assert.That(response.Results.Select(r => r.Index), Is.EqualTo(new[] { 2, 0, 1 }));
        Assert.That(client.Calls, Has.Count.EqualTo(1), "a usable ranking is not sent again");
        Assert.That(Repairs(response).Select(r => (r.Kind, r.ModelId)), Is.EqualTo(new (LlmOutputRepairKind, string?)[]
        {
            (LlmOutputRepairKind.UnknownIdIgnored, "null"),
            (LlmOutputRepairKind.UnknownIdIgnored, "true"),
        }));
    }

    [TestCase("[2] is weak, [5] better: [5] > [2] > [1]", new[] { 4, 1, 0, 2, 3 })]
    [TestCase("First guess [1] > [2] > [3] > [4] > [5]; on reflection: [5] > [4] > [3] > [2] > [1]", new[] { 4, 3, 2, 1, 0 })]
    [TestCase("Passage [3] mentions [1]. Final ranking: d4 > d5 > d3 > d1 > d2", new[] { 3, 4, 2, 0, 1 })]
    public async Task An_explicit_ranking_chain_wins_over_ids_mentioned_in_prose(string output, int[] expected)
    {
        using IReranker reranker = ScriptedChatClient.FromTexts(output).AsReranker(Listwise);

        RerankResponse response = await reranker.RerankAsync(Query, ["a", "b", "c", "d", "e"]);

        Assert.That(response.Results.Select(r => r.Index), Is.EqualTo(expected));
    }

    [Test]
    public async Task An_echoed_listwise_example_before_the_answer_is_not_taken()
    {
        // The default prompt's example is {"ranking":[3,1,2]}; the model repeats it, then answers for its window of 4.
        using IReranker reranker = ScriptedChatClient.FromTexts("""You asked for {"ranking":[3,1,2]}. Here: {"ranking":[4,2,1,3]}""").AsReranker(Listwise);

        RerankResponse response = await reranker.RerankAsync(Query, ["a", "b", "c", "d"]);

        Assert.That(response.Results.Select(r => r.Index), Is.EqualTo(new[] { 3, 1, 0, 2 }));
        Assert.That(Repairs(response), Is.Empty);
    }

    [Test]
    public async Task An_echoed_pointwise_example_before_the_answer_is_not_taken()
    {
        // The default prompt's example scores d1 only; the answer after it scores every document asked for.
        var client = ScriptedChatClient.FromTexts(
            """The format is {"scores":[{"id":"d1","score":7}]}. Answer: {"scores":[{"id":"d1","score":2},{"id":"d2","score":9},{"id":"d3","score":5}]}""");
        using IReranker reranker = client.AsReranker();

        RerankResponse response = await reranker.RerankAsync(Query, ["a", "b", "c"]);

        Assert.That(response.Results.Select(r => r.Index), Is.EqualTo(new[] { 1, 2, 0 }));
        Assert.That(response.Results.Select(r => r.Score), Is.EqualTo(new[] { 0.9, 0.5, 0.2 }).Within(1e-12));
        Assert.That(client.Calls, Has.Count.EqualTo(1), "nothing was missing, so nothing was asked again");
    }

    [Test]
    public async Task Of_two_equally_complete_pointwise_answers_the_last_wins()
    {
        using IReranker reranker = ScriptedChatClient.FromTexts(
            """{"scores":[{"id":"d1","score":7}]} corrected: {"scores":[{"id":"d1","score":3}]}""").AsReranker();

        RerankResponse response = await reranker.RerankAsync(Query, ["a"]);

        Assert.That(response.Results.Single().Score, Is.EqualTo(0.3).Within(1e-12));
    }

    [Test]
    public async Task A_pointwise_answer_for_other_ids_loses_to_one_for_the_ids_asked()
    {
        // An answer that names ids of the prompt beats a longer one that names ids never asked for.
        using IReranker reranker = ScriptedChatClient.FromTexts(
            """{"scores":[{"id":"d1","score":4},{"id":"d2","score":6}]} {"scores":[{"id":"d7","score":1},{"id":"d8","score":1},{"id":"d9","score":1}]}""").AsReranker();

        RerankResponse response = await reranker.RerankAsync(Query, ["a", "b"]);

        Assert.That(response.Results.Select(r => r.Score), Is.EqualTo(new[] { 0.6, 0.4 }).Within(1e-12));
    }

    [TestCase(LlmRerankMode.Pointwise)]
    [TestCase(LlmRerankMode.Listwise)]
    public void A_null_chat_response_is_a_clear_LlmRerankerException(LlmRerankMode mode)
    {
        var client = new ScriptedChatClient((_, _, _) => Task.FromResult<ChatResponse>(null!));
        using IReranker reranker = client.AsReranker(new LlmRerankerOptions { Mode = mode });

        LlmRerankerException ex = Assert.ThrowsAsync<LlmRerankerException>(() => reranker.RerankAsync(Query, ["a", "b"]))!;

        Assert.That(ex.Message, Does.Contain("null ChatResponse").And.Contain(nameof(ScriptedChatClient)));
        Assert.That(ex.Mode, Is.EqualTo(mode));
    }
}
