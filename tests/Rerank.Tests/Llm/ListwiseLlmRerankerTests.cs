using Microsoft.Extensions.AI;

namespace Rerank.Tests.Llm;

/// <summary>Listwise LLM reranking: permutations read and repaired, and the RankGPT sliding window.</summary>
[TestFixture]
public sealed class ListwiseLlmRerankerTests
{
    private const string Query = "how do plants make energy";

    private static readonly string[] Texts = ["alpha", "bravo", "charlie"];

    private static readonly LlmRerankerOptions Listwise = new() { Mode = LlmRerankMode.Listwise };

    private static IReadOnlyList<LlmOutputRepair> Repairs(RerankResponse response) =>
        (IReadOnlyList<LlmOutputRepair>)response.AdditionalProperties![RerankResponseProperties.LlmRepairs]!;

    [TestCase("[3] > [1] > [2]")]
    [TestCase("""{"ranking":[3,1,2]}""")]
    [TestCase("```json\n{\"ranking\": [\"3\", \"1\", \"2\"]}\n```")]
    [TestCase("After reading all 3 passages, my ranking is [3, 1, 2] because passage three is best.")]
    [TestCase("3 > 1 > 2")]
    [TestCase("Ranking: [d3] > [d1] > [d2]")]
    public async Task A_permutation_is_read_in_any_accepted_form(string output)
    {
        var client = ScriptedChatClient.FromTexts(output);
        using IReranker reranker = client.AsReranker(Listwise);

        RerankResponse response = await reranker.RerankAsync(Query, Texts);

        Assert.That(response.Results.Select(r => r.Index), Is.EqualTo(new[] { 2, 0, 1 }));
        Assert.That(response.Results.Select(r => r.Score), Is.EqualTo(new[] { 1.0, 2.0 / 3, 1.0 / 3 }).Within(1e-12), "score = (n - rank) / n");
        Assert.That(Repairs(response), Is.Empty);
        RecordedChatCall call = client.Calls.Single();
        Assert.That(call.Prompt.Documents.Select(d => d.Id), Is.EqualTo(new[] { "1", "2", "3" }));
        Assert.That(((ChatResponseFormatJson)call.Options!.ResponseFormat!).SchemaName, Is.EqualTo("rerank_ranking"));
        Assert.That(call.Options.Temperature, Is.EqualTo(0f));
    }

    [Test]
    public async Task Duplicates_and_out_of_range_ids_are_ignored_and_missing_ids_appended_in_their_given_order()
    {
        using IReranker reranker = ScriptedChatClient.FromTexts("[5] > [5] > [9] > [0] > [2] > [5]").AsReranker(Listwise);

        RerankResponse response = await reranker.RerankAsync(Query, ["a", "b", "c", "d", "e"]);

        Assert.That(response.Results.Select(r => r.Index), Is.EqualTo(new[] { 4, 1, 0, 2, 3 }));
        IReadOnlyList<LlmOutputRepair> repairs = Repairs(response);
        Assert.That(repairs.Select(r => (r.Kind, r.ModelId)), Is.EqualTo(new (LlmOutputRepairKind, string?)[]
        {
            (LlmOutputRepairKind.DuplicateIdIgnored, "5"),
            (LlmOutputRepairKind.UnknownIdIgnored, "9"),
            (LlmOutputRepairKind.UnknownIdIgnored, "0"),
            (LlmOutputRepairKind.DuplicateIdIgnored, "5"),
            (LlmOutputRepairKind.MissingIdAppended, null),
        }));
        Assert.That(repairs[0].DocumentIndices, Is.EqualTo(new[] { 4 }));
        Assert.That(repairs[^1].DocumentIndices, Is.EqualTo(new[] { 0, 2, 3 }));
    }

    [Test]
    public async Task Prose_that_repeats_an_id_after_the_ranking_is_not_read_as_part_of_it()
    {
        using IReranker reranker = ScriptedChatClient.FromTexts("The ranking is [2] > [3] > [1]. Passage [2] is the most relevant.").AsReranker(Listwise);

        RerankResponse response = await reranker.RerankAsync(Query, Texts);

        Assert.That(response.Results.Select(r => r.Index), Is.EqualTo(new[] { 1, 2, 0 }));
        Assert.That(Repairs(response), Is.Empty, "the chain is the ranking; a later mention in prose is no entry of it");
    }

    [TestCase("")]
    [TestCase("I'd rather not.")]
    [TestCase("[7] > [8]")]
    public void Output_with_no_known_id_is_retried_once_then_throws(string output)
    {
        var client = ScriptedChatClient.FromTexts(output);
        using IReranker reranker = client.AsReranker(Listwise);

        LlmRerankerException ex = Assert.ThrowsAsync<LlmRerankerException>(() => reranker.RerankAsync(Query, Texts))!;

        Assert.That(client.Calls, Has.Count.EqualTo(2));
        Assert.That(ex.Mode, Is.EqualTo(LlmRerankMode.Listwise));
        Assert.That(ex.Attempts, Is.EqualTo(2));
        Assert.That(ex.Message, Does.Contain("no usable ranking"));
    }

    [Test]
    public async Task Empty_output_then_a_ranking_succeeds_and_reports_the_retry()
    {
        var client = ScriptedChatClient.FromTexts("", "[2] > [1] > [3]");
        using IReranker reranker = client.AsReranker(Listwise);

        RerankResponse response = await reranker.RerankAsync(Query, Texts);

        Assert.That(response.Results.Select(r => r.Index), Is.EqualTo(new[] { 1, 0, 2 }));
        Assert.That(Repairs(response).Single().Kind, Is.EqualTo(LlmOutputRepairKind.UnusableOutputRetried));
        Assert.That(response.AdditionalProperties![RerankResponseProperties.LlmChatCalls], Is.EqualTo(2));
    }

    [Test]
    public void An_exception_of_the_chat_client_reaches_the_caller_unchanged()
    {
        var failure = new TimeoutException("model timed out");
        using IReranker reranker = new ScriptedChatClient((_, _, _) => throw failure).AsReranker(Listwise);

        Assert.That(Assert.CatchAsync(() => reranker.RerankAsync(Query, Texts)), Is.SameAs(failure));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Cancellation_reaches_the_chat_call()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var client = new ScriptedChatClient(async (_, _, token) =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, token);
            throw new AssertionException("unreachable");
        });
        using IReranker reranker = client.AsReranker(Listwise);
        using var cts = new CancellationTokenSource();

        Task<RerankResponse> pending = reranker.RerankAsync(Query, Texts, cancellationToken: cts.Token);
        await started.Task.WaitAsync(TestContext.CurrentContext.CancellationToken);
        cts.Cancel();

        Assert.CatchAsync<OperationCanceledException>(() => pending);
        Assert.That(client.Calls.Single().CancellationToken, Is.EqualTo(cts.Token));
    }

    [Test]
    public async Task One_document_needs_no_call()
    {
        var client = ScriptedChatClient.FromTexts("[1]");
        using IReranker reranker = client.AsReranker(Listwise);

        RerankResponse response = await reranker.RerankAsync(Query, ["only", "only"]);

        Assert.That(client.Calls, Is.Empty, "two copies of one text are one candidate");
        Assert.That(response.Results.Select(r => r.Index), Is.EqualTo(new[] { 0, 1 }));
        Assert.That(response.Results.Select(r => r.Score), Is.All.EqualTo(1.0));
    }

    [Test]
    public async Task The_sliding_window_over_100_documents_brings_the_true_top_10_to_the_front()
    {
        // A hidden true relevance per passage; the first stage handed them over in a shuffled order, the best one last.
        var random = new Random(20240607);
        int[] relevance = [.. Enumerable.Range(0, 100).OrderBy(_ => random.Next())];
        string[] texts = [.. Enumerable.Range(0, 100).Select(i => $"passage {i}")];
        int best = Array.IndexOf(relevance, 99);
        (texts[best], texts[99]) = (texts[99], texts[best]);
        (relevance[best], relevance[99]) = (relevance[99], relevance[best]);
        Dictionary<string, int> hidden = texts.Select((t, i) => (t, relevance[i])).ToDictionary(p => p.t, p => p.Item2);

        var model = new RelevanceChatClient((_, text) => hidden[text], LlmRerankMode.Listwise) { Windows = [] };
        using IReranker reranker = model.AsReranker(Listwise);

        RerankResponse response = await reranker.RerankAsync(Query, texts);

        int[] trueTop10 = [.. Enumerable.Range(0, 100).OrderByDescending(i => relevance[i]).Take(10)];
        Assert.That(response.Results.Take(10).Select(r => r.Index), Is.EqualTo(trueTop10));
        Assert.That(response.Results[0].Index, Is.EqualTo(99), "the best passage rose from the last position to the first");
        Assert.That(model.Calls, Is.EqualTo(9), "windows [80,100), [70,90), ..., [0,20)");
        Assert.That(model.Windows!.Select(w => w.Count), Is.All.EqualTo(20));
        Assert.That(model.Windows[0].Select(d => d.Text), Is.EquivalentTo(texts[80..]), "the first window is the end of the list");
        Assert.That(Repairs(response), Is.Empty);
        Assert.That(response.Results.Select(r => r.Index), Is.Unique);
        Assert.That(response.Results, Has.Count.EqualTo(100));
        Assert.That(response.Usage!.InputTokenCount, Is.EqualTo(9 * 20 * 10), "usage of all nine calls is summed");
    }

    [TestCase(45, 20, 10, 4)]
    [TestCase(21, 20, 10, 2)]
    [TestCase(20, 20, 10, 1)]
    [TestCase(10, 4, 1, 7)]
    public async Task The_window_slides_to_the_front_and_the_top_window_minus_step_are_exact(int count, int window, int step, int expectedCalls)
    {
        string[] texts = [.. Enumerable.Range(0, count).Select(i => $"p{i}")];
        var model = new RelevanceChatClient((_, text) => int.Parse(text[1..]), LlmRerankMode.Listwise);
        using IReranker reranker = model.AsReranker(new LlmRerankerOptions { Mode = LlmRerankMode.Listwise, WindowSize = window, StepSize = step });

        RerankResponse response = await reranker.RerankAsync(Query, texts);

        Assert.That(model.Calls, Is.EqualTo(expectedCalls));
        Assert.That(response.Results.Take(window - step).Select(r => r.Index), Is.EqualTo(Enumerable.Range(0, count).Reverse().Take(window - step)));
    }
}
