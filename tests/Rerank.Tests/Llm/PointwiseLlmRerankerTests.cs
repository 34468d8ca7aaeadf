using Microsoft.Extensions.AI;

namespace Rerank.Tests.Llm;

/// <summary>Pointwise LLM reranking against a scripted chat client: what is sent, how output is read and repaired.</summary>
[TestFixture]
public sealed class PointwiseLlmRerankerTests
{
    private const string Query = "how do plants make energy";

    private static readonly string[] Texts =
    [
        "The stock market fell.",
        "Photosynthesis turns light into chemical energy in plants.",
        "Leaves contain chlorophyll.",
    ];

    private const string Perfect = """{"scores":[{"id":"d1","score":2},{"id":"d2","score":9},{"id":"d3","score":5}]}""";

    private static IReadOnlyList<LlmOutputRepair> Repairs(RerankResponse response) =>
        (IReadOnlyList<LlmOutputRepair>)response.AdditionalProperties![RerankResponseProperties.LlmRepairs]!;

    private static void AssertPerfectRanking(RerankResponse response)
    {
        Assert.That(response.Results.Select(r => r.Index), Is.EqualTo(new[] { 1, 2, 0 }));
        Assert.That(response.Results.Select(r => r.Score), Is.EqualTo(new[] { 0.9, 0.5, 0.2 }).Within(1e-12));
    }

    [Test]
    public async Task Perfect_output_is_ranked_and_scores_are_normalised_to_0_1()
    {
        var usage = new UsageDetails { InputTokenCount = 120, OutputTokenCount = 30, TotalTokenCount = 150 };
        var client = new ScriptedChatClient((_, _, _) => Task.FromResult(ScriptedChatClient.Reply(Perfect, usage, "gpt-test")));
        using IReranker reranker = client.AsReranker();

        RerankResponse response = await reranker.RerankAsync(Query, Texts);

        AssertPerfectRanking(response);
        Assert.That(Repairs(response), Is.Empty);
        Assert.That(response.AdditionalProperties![RerankResponseProperties.LlmChatCalls], Is.EqualTo(1));
        Assert.That(response.AdditionalProperties[RerankResponseProperties.LlmMode], Is.EqualTo(LlmRerankMode.Pointwise));
        Assert.That(response.ModelId, Is.EqualTo("gpt-test"));
        Assert.That(response.ResponseId, Is.EqualTo(((IReadOnlyList<ChatResponse>)response.RawRepresentation!)[0].ResponseId));
        Assert.That(response.Usage!.InputTokenCount, Is.EqualTo(120));
        Assert.That(response.Usage.OutputTokenCount, Is.EqualTo(30));
        Assert.That(response.Usage.TotalTokenCount, Is.EqualTo(150));

        RecordedChatCall call = client.Calls.Single();
        Assert.That(call.Options!.Temperature, Is.EqualTo(0f));
        var format = (ChatResponseFormatJson)call.Options.ResponseFormat!;
        Assert.That(format.Schema!.Value.GetProperty("properties").TryGetProperty("scores", out _), Is.True, "asks for JSON with the scores schema");
        Assert.That(call.Prompt.Query, Is.EqualTo(Query));
        Assert.That(call.Prompt.Documents, Is.EqualTo(new[] { ("d1", Texts[0]), ("d2", Texts[1]), ("d3", Texts[2]) }));
        Assert.That(call.System, Does.Contain("from 0 (irrelevant) to 10"));
    }

    [Test]
    public async Task Raw_scores_on_a_custom_scale_are_returned_when_normalisation_is_off()
    {
        var client = ScriptedChatClient.FromTexts("""{"scores":[{"id":"d1","score":1},{"id":"d2","score":5},{"id":"d3","score":3.5}]}""");
        using IReranker reranker = client.AsReranker(new LlmRerankerOptions { MinScore = 1, MaxScore = 5, NormalizeScores = false });

        RerankResponse response = await reranker.RerankAsync(Query, Texts);

        Assert.That(response.Results.Select(r => r.Score), Is.EqualTo(new[] { 5, 3.5, 1 }));
        Assert.That(client.Calls.Single().System, Does.Contain("from 1 (irrelevant) to 5"));
    }

    [Test]
    public async Task Json_in_a_code_fence_is_read()
    {
        using IReranker reranker = ScriptedChatClient.FromTexts($"```json\n{Perfect}\n```").AsReranker();

        AssertPerfectRanking(await reranker.RerankAsync(Query, Texts));
    }

    [Test]
    public async Task Json_wrapped_in_prose_is_read()
    {
        string reply = $"Sure! I judged 3 documents {{carefully}}.\nHere are the scores: {Perfect}\nDocument 2 is best; I hope this helps [1].";
        using IReranker reranker = ScriptedChatClient.FromTexts(reply).AsReranker();

        RerankResponse response = await reranker.RerankAsync(Query, Texts);

        AssertPerfectRanking(response);
        Assert.That(Repairs(response), Is.Empty);
    }

    [Test]
    public async Task Id_score_pairs_in_prose_are_read_when_there_is_no_json()
    {
        string reply = "I looked at 3 documents.\n- d1: 2 (about stocks)\n- d2: 9, the best\n- d3 = 5\nOverall 2 of them are relevant.";
        using IReranker reranker = ScriptedChatClient.FromTexts(reply).AsReranker();

        AssertPerfectRanking(await reranker.RerankAsync(Query, Texts));
    }

    [Test]
    public async Task Scores_are_matched_by_id_whatever_their_order_in_the_output()
    {
        using IReranker reranker = ScriptedChatClient.FromTexts("""{"scores":[{"id":"d3","score":5},{"id":"D1","score":"2"},{"id":2,"score":9}]}""").AsReranker();

        RerankResponse response = await reranker.RerankAsync(Query, Texts);

        AssertPerfectRanking(response);
        Assert.That(Repairs(response), Is.Empty, "'D1', a numeric 2 and a numeric string are still the ids and a score");
    }

    [Test]
    public async Task A_duplicate_id_keeps_its_first_score_and_is_reported()
    {
        using IReranker reranker = ScriptedChatClient.FromTexts("""{"scores":[{"id":"d1","score":2},{"id":"d2","score":9},{"id":"d2","score":0},{"id":"d3","score":5}]}""").AsReranker();

        RerankResponse response = await reranker.RerankAsync(Query, Texts);

        AssertPerfectRanking(response);
        LlmOutputRepair repair = Repairs(response).Single();
        Assert.That(repair.Kind, Is.EqualTo(LlmOutputRepairKind.DuplicateIdIgnored));
        Assert.That(repair.DocumentIndices, Is.EqualTo(new[] { 1 }));
        Assert.That(repair.ModelId, Is.EqualTo("d2"));
    }

    [Test]
    public async Task Unknown_and_out_of_range_ids_are_ignored_and_reported()
    {
        using IReranker reranker = ScriptedChatClient.FromTexts(
            """{"scores":[{"id":"d1","score":2},{"id":"d4","score":10},{"id":"d0","score":10},{"id":"x","score":10},{"score":10},{"id":"d2","score":9},{"id":"d3","score":5}]}""").AsReranker();

        RerankResponse response = await reranker.RerankAsync(Query, Texts);

        AssertPerfectRanking(response);
        Assert.That(Repairs(response).Select(r => r.Kind), Is.All.EqualTo(LlmOutputRepairKind.UnknownIdIgnored));
        Assert.That(Repairs(response).Select(r => r.ModelId), Is.EqualTo(new string?[] { "d4", "d0", "x", null }));
        Assert.That(Repairs(response).SelectMany(r => r.DocumentIndices), Is.Empty);
    }

    [Test]
    public async Task Missing_scores_are_asked_for_again_in_a_call_of_their_own()
    {
        var client = ScriptedChatClient.FromTexts(
            """{"scores":[{"id":"d1","score":2},{"id":"d2","score":9}]}""",
            """{"scores":[{"id":"d3","score":5}]}""");
        using IReranker reranker = client.AsReranker();

        RerankResponse response = await reranker.RerankAsync(Query, Texts);

        AssertPerfectRanking(response);
        Assert.That(client.Calls, Has.Count.EqualTo(2));
        Assert.That(client.Calls[1].Prompt.Documents, Is.EqualTo(new[] { ("d3", Texts[2]) }), "the retry holds only the missing document, under its own id");
        LlmOutputRepair repair = Repairs(response).Single();
        Assert.That(repair.Kind, Is.EqualTo(LlmOutputRepairKind.MissingScoreRetried));
        Assert.That(repair.DocumentIndices, Is.EqualTo(new[] { 2 }));
        Assert.That(response.AdditionalProperties![RerankResponseProperties.LlmChatCalls], Is.EqualTo(2));
    }

    [Test]
    public async Task A_score_still_missing_after_the_retry_gets_the_bottom_of_the_scale()
    {
        var client = ScriptedChatClient.FromTexts("""{"scores":[{"id":"d2","score":9},{"id":"d3","score":5}]}""", """{"scores":[]}""");
        using IReranker reranker = client.AsReranker();

        RerankResponse response = await reranker.RerankAsync(Query, Texts);

        Assert.That(response.Results.Select(r => r.Index), Is.EqualTo(new[] { 1, 2, 0 }));
        Assert.That(response.Results[2].Score, Is.Zero);
        Assert.That(Repairs(response).Select(r => r.Kind), Is.EqualTo(new[] { LlmOutputRepairKind.MissingScoreRetried, LlmOutputRepairKind.MissingScoreDefaulted }));
        Assert.That(Repairs(response)[1].DocumentIndices, Is.EqualTo(new[] { 0 }));
    }

    [Test]
    public async Task Too_few_scores_without_retries_are_defaulted_not_shifted()
    {
        // Two scores for three documents: zipping by position would give d3's score to the wrong document.
        var client = ScriptedChatClient.FromTexts("""{"scores":[{"id":"d2","score":9},{"id":"d3","score":5}]}""");
        using IReranker reranker = client.AsReranker(new LlmRerankerOptions { MaxOutputRetries = 0 });

        RerankResponse response = await reranker.RerankAsync(Query, Texts);

        Assert.That(client.Calls, Has.Count.EqualTo(1));
        Assert.That(response.Results.Single(r => r.Index == 1).Score, Is.EqualTo(0.9).Within(1e-12));
        Assert.That(response.Results.Single(r => r.Index == 2).Score, Is.EqualTo(0.5).Within(1e-12));
        Assert.That(response.Results.Single(r => r.Index == 0).Score, Is.Zero);
    }

    [Test]
    public async Task Too_many_scores_keep_the_known_ids_only()
    {
        using IReranker reranker = ScriptedChatClient.FromTexts(
            """{"scores":[{"id":"d1","score":2},{"id":"d2","score":9},{"id":"d3","score":5},{"id":"d4","score":10},{"id":"d5","score":10}]}""").AsReranker();

        RerankResponse response = await reranker.RerankAsync(Query, Texts);

        AssertPerfectRanking(response);
        Assert.That(Repairs(response).Select(r => r.ModelId), Is.EqualTo(new[] { "d4", "d5" }));
    }

    [Test]
    public async Task A_list_of_scores_without_ids_is_never_zipped_against_the_documents()
    {
        var client = ScriptedChatClient.FromTexts("""{"scores":[9, 1, 5]}""", "[9, 1, 5]", Perfect);
        using IReranker reranker = client.AsReranker(new LlmRerankerOptions { MaxOutputRetries = 2 });

        RerankResponse response = await reranker.RerankAsync(Query, Texts);

        AssertPerfectRanking(response);
        Assert.That(client.Calls, Has.Count.EqualTo(3));
        Assert.That(Repairs(response).Select(r => r.Kind), Is.EqualTo(new[] { LlmOutputRepairKind.UnusableOutputRetried, LlmOutputRepairKind.UnusableOutputRetried }));
    }

    [Test]
    public async Task Scores_outside_the_scale_are_clamped_and_reported()
    {
        using IReranker reranker = ScriptedChatClient.FromTexts("""{"scores":[{"id":"d1","score":-3},{"id":"d2","score":12},{"id":"d3","score":5}]}""").AsReranker();

        RerankResponse response = await reranker.RerankAsync(Query, Texts);

        Assert.That(response.Results.Select(r => r.Score), Is.EqualTo(new[] { 1.0, 0.5, 0.0 }));
        Assert.That(Repairs(response).Select(r => r.Kind), Is.All.EqualTo(LlmOutputRepairKind.ScoreClamped));
        Assert.That(Repairs(response).SelectMany(r => r.DocumentIndices), Is.EquivalentTo(new[] { 0, 1 }));
    }

    [Test]
    public async Task A_score_that_is_not_a_number_counts_as_missing()
    {
        var client = ScriptedChatClient.FromTexts(
            """{"scores":[{"id":"d1","score":2},{"id":"d2","score":"very high"},{"id":"d3","score":5}]}""",
            """{"scores":[{"id":"d2","score":9}]}""");
        using IReranker reranker = client.AsReranker();

        RerankResponse response = await reranker.RerankAsync(Query, Texts);

        AssertPerfectRanking(response);
        Assert.That(Repairs(response).Select(r => r.Kind), Is.EqualTo(new[] { LlmOutputRepairKind.InvalidScoreIgnored, LlmOutputRepairKind.MissingScoreRetried }));
    }

    [TestCase("")]
    [TestCase("   \n ")]
    [TestCase("I cannot help with that.")]
    public void Unusable_output_is_retried_once_then_throws_a_clear_exception(string output)
    {
        var client = ScriptedChatClient.FromTexts(output);
        using IReranker reranker = client.AsReranker();

        LlmRerankerException ex = Assert.ThrowsAsync<LlmRerankerException>(() => reranker.RerankAsync(Query, Texts))!;

        Assert.That(client.Calls, Has.Count.EqualTo(2));
        Assert.That(ex.Attempts, Is.EqualTo(2));
        Assert.That(ex.Mode, Is.EqualTo(LlmRerankMode.Pointwise));
        Assert.That(ex.ModelOutput, Is.EqualTo(output));
        Assert.That(ex.Message, Does.Contain("no usable score").And.Contain("BatchSize"));
    }

    [Test]
    public async Task Empty_output_followed_by_a_good_answer_succeeds_and_reports_the_retry()
    {
        var client = ScriptedChatClient.FromTexts("", Perfect);
        using IReranker reranker = client.AsReranker();

        RerankResponse response = await reranker.RerankAsync(Query, Texts);

        AssertPerfectRanking(response);
        LlmOutputRepair repair = Repairs(response).Single();
        Assert.That(repair.Kind, Is.EqualTo(LlmOutputRepairKind.UnusableOutputRetried));
        Assert.That(repair.DocumentIndices, Is.EqualTo(new[] { 0, 1, 2 }));
    }

    [Test]
    public void Without_retries_empty_output_throws_after_one_call()
    {
        var client = ScriptedChatClient.FromTexts("");
        using IReranker reranker = client.AsReranker(new LlmRerankerOptions { MaxOutputRetries = 0 });

        Assert.ThrowsAsync<LlmRerankerException>(() => reranker.RerankAsync(Query, Texts));
        Assert.That(client.Calls, Has.Count.EqualTo(1));
    }

    [Test]
    public void An_exception_of_the_chat_client_reaches_the_caller_unchanged()
    {
        var failure = new HttpRequestException("429 Too Many Requests", null, System.Net.HttpStatusCode.TooManyRequests);
        var client = new ScriptedChatClient((_, _, _) => throw failure);
        using IReranker reranker = client.AsReranker();

        Exception? ex = Assert.CatchAsync(() => reranker.RerankAsync(Query, Texts));

        Assert.That(ex, Is.SameAs(failure));
    }

    [Test]
    [CancelAfter(30_000)]
    public void A_failing_batch_fails_the_call_and_cancels_the_batches_in_flight()
    {
        var failure = new InvalidOperationException("model overloaded");
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var client = new ScriptedChatClient(async (call, index, token) =>
        {
            if (call.Prompt.Documents.Any(d => d.Text == "doc 0"))
            {
                // The first batch waits until the failing batch has started, then until it is cancelled.
                await waiting.Task.WaitAsync(token);
                await Task.Delay(Timeout.Infinite, token);
            }

            waiting.TrySetResult();
            throw failure;
        });
        using IReranker reranker = client.AsReranker(new LlmRerankerOptions { BatchSize = 2, MaxConcurrency = 2 });

        Exception? ex = Assert.CatchAsync(() => reranker.RerankAsync(Query, Enumerable.Range(0, 4).Select(i => $"doc {i}"), cancellationToken: TestContext.CurrentContext.CancellationToken));

        Assert.That(ex, Is.SameAs(failure));
        Assert.That(client.Calls.Select(c => c.CancellationToken.IsCancellationRequested), Is.All.True, "the other batch's call was cancelled");
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Cancellation_reaches_the_chat_call_and_stops_it()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var client = new ScriptedChatClient(async (_, _, token) =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, token);
            throw new AssertionException("unreachable");
        });
        using IReranker reranker = client.AsReranker(new LlmRerankerOptions { BatchSize = 2 });
        using var cts = new CancellationTokenSource();

        Task<RerankResponse> pending = reranker.RerankAsync(Query, Texts, cancellationToken: cts.Token);
        await started.Task.WaitAsync(TestContext.CurrentContext.CancellationToken);
        cts.Cancel();

        Assert.CatchAsync<OperationCanceledException>(() => pending);
        Assert.That(client.Calls, Is.Not.Empty);
        Assert.That(client.Calls.Select(c => c.CancellationToken.IsCancellationRequested), Is.All.True);
    }

    [Test]
    public async Task Documents_go_in_batches_and_usage_of_every_call_is_summed()
    {
        var model = new RelevanceChatClient((_, text) => text.Length % 10, LlmRerankMode.Pointwise) { Windows = [] };
        using IReranker reranker = model.AsReranker(new LlmRerankerOptions { BatchSize = 10, MaxConcurrency = 2 });
        string[] texts = [.. Enumerable.Range(0, 25).Select(i => $"document number {i} " + new string('x', i))];

        RerankResponse response = await reranker.RerankAsync(Query, texts);

        Assert.That(model.Calls, Is.EqualTo(3));
        Assert.That(model.Windows!.Select(w => w.Count).Order(), Is.EqualTo(new[] { 5, 10, 10 }));
        Assert.That(model.MaxInFlight, Is.InRange(1, 2));
        Assert.That(response.Usage!.InputTokenCount, Is.EqualTo(250));
        Assert.That(response.Usage.OutputTokenCount, Is.EqualTo(25));
        Assert.That(response.Usage.TotalTokenCount, Is.EqualTo(275));
        Assert.That(response.ResponseId, Is.Null, "several calls have no single response id");
        Assert.That((IReadOnlyList<ChatResponse>)response.RawRepresentation!, Has.Count.EqualTo(3));
        foreach (RerankResult result in response.Results)
        {
            Assert.That(result.Score, Is.EqualTo((texts[result.Index].Length % 10) / 10.0).Within(1e-12), $"document {result.Index} got another document's score");
        }
    }

    [Test]
    public async Task Thousands_of_documents_and_a_megabyte_document_are_scored_without_loss()
    {
        var model = new RelevanceChatClient((_, text) => text.Length % 11 * 0.9, LlmRerankMode.Pointwise) { Windows = [] };
        using IReranker reranker = model.AsReranker(new LlmRerankerOptions { BatchSize = 20, MaxConcurrency = 4, MaxChatCalls = 151 });
        List<string> texts = [.. Enumerable.Range(0, 3000).Select(i => $"document {i} " + new string('y', i % 37)), new string('m', 1 << 20)];

        RerankResponse response = await reranker.RerankAsync(Query, texts);

        Assert.That(model.Calls, Is.EqualTo(151));
        Assert.That(response.Results.Select(r => r.Index).Order(), Is.EqualTo(Enumerable.Range(0, 3001)));
        Assert.That(response.AdditionalProperties![RerankResponseProperties.TruncatedDocuments], Is.EqualTo(1));
        Assert.That(model.Windows!.SelectMany(w => w).Max(d => d.Text.Length), Is.EqualTo(2001), "2000 characters and the ellipsis");
        Assert.That(response.Results.Select(r => r.Score), Is.Ordered.Descending);
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Batches_run_concurrently_up_to_the_limit()
    {
        // Each call waits until three calls are in flight: with fewer than three running at once the test would hang.
        int arrived = 0;
        var allThere = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var model = new RelevanceChatClient((_, _) => 5, LlmRerankMode.Pointwise);
        var client = new ScriptedChatClient(async (call, _, token) =>
        {
            if (Interlocked.Increment(ref arrived) == 3)
            {
                allThere.TrySetResult();
            }

            await allThere.Task.WaitAsync(token);
            return await model.GetResponseAsync(call.Messages, call.Options, token);
        });
        using IReranker reranker = client.AsReranker(new LlmRerankerOptions { BatchSize = 1, MaxConcurrency = 3 });

        RerankResponse response = await reranker.RerankAsync(Query, Texts, cancellationToken: TestContext.CurrentContext.CancellationToken);

        Assert.That(response.Results, Has.Count.EqualTo(3));
        Assert.That(model.MaxInFlight, Is.LessThanOrEqualTo(3));
    }

    [Test]
    public async Task Concurrency_never_exceeds_the_limit()
    {
        var model = new RelevanceChatClient((_, text) => text.Length % 7, LlmRerankMode.Pointwise);
        using IReranker reranker = model.AsReranker(new LlmRerankerOptions { BatchSize = 2, MaxConcurrency = 3 });

        await reranker.RerankAsync(Query, Enumerable.Range(0, 60).Select(i => $"doc {i}"));

        Assert.That(model.Calls, Is.EqualTo(30));
        Assert.That(model.MaxInFlight, Is.InRange(1, 3));
    }

    [Test]
    public async Task Identical_texts_are_sent_once_and_share_the_score()
    {
        var client = ScriptedChatClient.FromTexts(Perfect);
        using IReranker reranker = client.AsReranker();

        RerankResponse response = await reranker.RerankAsync(Query, [Texts[0], Texts[1], Texts[0], Texts[2], Texts[1]]);

        Assert.That(client.Calls.Single().Prompt.Documents, Has.Count.EqualTo(3));
        Assert.That(response.Results.Select(r => r.Index), Is.EqualTo(new[] { 1, 4, 3, 0, 2 }));
        Assert.That(response.AdditionalProperties![RerankResponseProperties.LlmDistinctDocuments], Is.EqualTo(3));
    }

    [Test]
    public async Task Long_documents_are_cut_to_the_character_limit()
    {
        var client = ScriptedChatClient.FromTexts(Perfect);
        using IReranker reranker = client.AsReranker(new LlmRerankerOptions { MaxCharactersPerDocument = 40 });
        string longText = new string('a', 39) + "\U0001F600" + new string('b', 500);

        RerankResponse response = await reranker.RerankAsync(Query, [longText, Texts[1], Texts[2]]);

        string sent = client.Calls.Single().Prompt.Documents[0].Text;
        Assert.That(sent, Is.EqualTo(new string('a', 39) + "\u2026"), "cut before the surrogate pair, never inside it");
        Assert.That(client.Calls.Single().Prompt.Documents[1].Text, Is.EqualTo(Texts[1][..40] + "\u2026"));
        Assert.That(client.Calls.Single().Prompt.Documents[2].Text, Is.EqualTo(Texts[2]), "a short document is sent whole");
        Assert.That(response.AdditionalProperties![RerankResponseProperties.TruncatedDocuments], Is.EqualTo(2));
    }

    [Test]
    public async Task MaxTokensPerDocument_lowers_the_limit_at_four_characters_per_token()
    {
        var client = ScriptedChatClient.FromTexts(Perfect);
        using IReranker reranker = client.AsReranker();

        await reranker.RerankAsync(Query, [new string('z', 100), Texts[1], Texts[2]], new RerankOptions { MaxTokensPerDocument = 5 });

        Assert.That(client.Calls.Single().Prompt.Documents[0].Text, Is.EqualTo(new string('z', 20) + "\u2026"));
    }

    [Test]
    public async Task Chat_options_are_passed_through_and_the_callers_instance_is_not_changed()
    {
        var chatOptions = new ChatOptions { MaxOutputTokens = 500, Temperature = 0.3f, ResponseFormat = ChatResponseFormat.Text, ModelId = "from-chat-options" };
        var client = ScriptedChatClient.FromTexts(Perfect);
        using IReranker reranker = client.AsReranker(new LlmRerankerOptions { ChatOptions = chatOptions, ModelId = "from-reranker-options" });

        RerankResponse response = await reranker.RerankAsync(Query, Texts, new RerankOptions { ModelId = "from-call" });

        ChatOptions sent = client.Calls.Single().Options!;
        Assert.That(sent, Is.Not.SameAs(chatOptions));
        Assert.That(sent.MaxOutputTokens, Is.EqualTo(500));
        Assert.That(sent.Temperature, Is.EqualTo(0.3f), "an explicit temperature wins over the default 0");
        Assert.That(sent.ResponseFormat, Is.SameAs(ChatResponseFormat.Text));
        Assert.That(sent.ModelId, Is.EqualTo("from-call"));
        Assert.That(response.ModelId, Is.EqualTo("from-call"), "the model id the chat response did not name is the one asked for");
        Assert.That(chatOptions.ModelId, Is.EqualTo("from-chat-options"));
    }

    [Test]
    public async Task A_null_temperature_sends_none()
    {
        var client = ScriptedChatClient.FromTexts(Perfect);
        using IReranker reranker = client.AsReranker(new LlmRerankerOptions { Temperature = null, ModelId = "o-model" });

        await reranker.RerankAsync(Query, Texts);

        Assert.That(client.Calls.Single().Options!.Temperature, Is.Null);
        Assert.That(client.Calls.Single().Options!.ModelId, Is.EqualTo("o-model"));
    }

    [Test]
    public async Task A_replaced_template_is_used_and_its_json_braces_survive()
    {
        var client = ScriptedChatClient.FromTexts(Perfect);
        using IReranker reranker = client.AsReranker(new LlmRerankerOptions
        {
            PointwiseSystemPrompt = "Judge. Reply like {\"scores\":[{\"id\":\"d1\",\"score\":0}]} on {min_score}..{max_score}. {unknown} stays.",
            PointwisePromptTemplate = "Q: {query}\nDocs ({count}: {ids}):\n{documents}",
        });

        AssertPerfectRanking(await reranker.RerankAsync(Query, Texts));

        RecordedChatCall call = client.Calls.Single();
        Assert.That(call.System, Is.EqualTo("Judge. Reply like {\"scores\":[{\"id\":\"d1\",\"score\":0}]} on 0..10. {unknown} stays."));
        Assert.That(call.User, Does.StartWith($"Q: <query>\n{Query}\n</query>\nDocs (3: d1, d2, d3):\n<document id=\"d1\">"));
    }

    [Test]
    public async Task Empty_input_makes_no_call_and_names_the_model()
    {
        var client = ScriptedChatClient.FromTexts(Perfect);
        using IReranker reranker = client.AsReranker();

        RerankResponse response = await reranker.RerankAsync(Query, Array.Empty<string>());

        Assert.That(response.Results, Is.Empty);
        Assert.That(client.Calls, Is.Empty);
        Assert.That(response.ModelId, Is.EqualTo("scripted-model"));
    }

    [Test]
    public void GetService_offers_metadata_and_reaches_the_chat_client()
    {
        var client = ScriptedChatClient.FromTexts(Perfect);
        using IReranker reranker = client.AsReranker();

        RerankerMetadata metadata = reranker.GetRequiredService<RerankerMetadata>();
        Assert.That(metadata.ProviderName, Is.EqualTo("llm"));
        Assert.That(metadata.ProviderUri, Is.EqualTo(client.Metadata.ProviderUri));
        Assert.That(metadata.DefaultModelId, Is.EqualTo("scripted-model"));
        Assert.That(reranker.GetService<IChatClient>(), Is.SameAs(client));
        Assert.That(reranker.GetService<ChatClientMetadata>(), Is.SameAs(client.Metadata));
        Assert.That(reranker.GetService<IReranker>(), Is.SameAs(reranker));
        Assert.That(reranker.GetService<IReranker>("key"), Is.Null);
    }

    [Test]
    public void Disposing_the_reranker_leaves_the_chat_client_to_its_owner()
    {
        var client = ScriptedChatClient.FromTexts(Perfect);
        IReranker reranker = client.AsReranker();

        reranker.Dispose();

        Assert.That(client.Disposed, Is.False);
    }
}
