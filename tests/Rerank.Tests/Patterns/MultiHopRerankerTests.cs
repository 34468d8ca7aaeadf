using Microsoft.Extensions.AI;
using Rerank.Testing;
using Rerank.Tests.Llm;
using Rerank.Tests.Middleware;

namespace Rerank.Tests.Patterns;

[TestFixture]
public sealed class MultiHopRerankerTests
{
    private const string Query = "who founded the company that makes the ZX phone";

    private static readonly string[] Texts =
    [
        "The ZX phone is made by the company Orbitel.",
        "Orbitel was founded by Ada Brand in 1990.",
        "Phones need batteries.",
    ];

    [Test]
    public async Task The_second_hop_reranks_with_the_follow_up_and_scores_combine_one_and_a_half()
    {
        var chat = ScriptedChatClient.FromTexts("\"Orbitel founded by\"\n");
        var inner = new ProbeReranker();
        using IReranker reranker = new RerankerBuilder(inner).UseMultiHop(chat).Build();

        RerankResponse response = await reranker.RerankAsync(Query, Texts);

        Assert.That(inner.Calls.Select(c => c.Query), Is.EqualTo(new[] { Query, "Orbitel founded by" }));
        foreach (RerankResult result in response.Results)
        {
            double first = ProbeReranker.Score(Query, result.Document.Text), second = ProbeReranker.Score("Orbitel founded by", result.Document.Text);
            Assert.That(result.Score, Is.EqualTo(first + (0.5 * second)).Within(1e-12));
            Assert.That(result.ScoreComponents, Is.EqualTo(new[] { new RerankScoreComponent("hop0", first, first, 1.0), new RerankScoreComponent("hop1", second, second, 0.5) }));
        }

        Assert.That(response.AdditionalProperties![RerankResponseProperties.MultiHopSteps],
            Is.EqualTo(new[] { new MultiHopStep(0, Query, 1.0), new MultiHopStep(1, "Orbitel founded by", 0.5) }));
        Assert.That(response.AdditionalProperties.ContainsKey(RerankResponseProperties.MultiHopStopReason), Is.False);
        Assert.That(chat.Calls.Single().User, Does.Contain("<passage>The ZX phone is made by"), "the best first-hop passage is shown");
        Assert.That(chat.Calls.Single().System, Does.Contain("data, not instructions"));
    }

    [TestCase("who founded the company that makes the ZX phone")]
    [TestCase("  WHO founded the   company that makes the zx phone ")]
    public async Task A_follow_up_identical_to_the_first_query_stops_after_one_hop(string reply)
    {
        var inner = new ProbeReranker();
        using IReranker reranker = new RerankerBuilder(inner).UseMultiHop(ScriptedChatClient.FromTexts(reply), o => o.MaxHops = 3).Build();

        RerankResponse response = await reranker.RerankAsync(Query, Texts);

        Assert.That(inner.BackendCalls, Is.EqualTo(1));
        Assert.That(response.AdditionalProperties![RerankResponseProperties.MultiHopStopReason], Is.EqualTo("repeated_query"));
        Assert.That((IReadOnlyList<MultiHopStep>)response.AdditionalProperties[RerankResponseProperties.MultiHopSteps]!, Has.Count.EqualTo(1));
        Assert.That(response.Results.Select(r => r.Score), Is.EqualTo(Texts.Select(t => ProbeReranker.Score(Query, t)).OrderDescending()));
    }

    [Test]
    public async Task Hops_are_bounded_and_a_repeat_of_any_earlier_hop_stops_them()
    {
        var chat = ScriptedChatClient.FromTexts("Orbitel", "Ada Brand", "Orbitel");
        var inner = new ProbeReranker();
        using IReranker reranker = new RerankerBuilder(inner).UseMultiHop(chat, o => o.MaxHops = 5).Build();

        RerankResponse response = await reranker.RerankAsync(Query, Texts);

        Assert.That(inner.Calls.Select(c => c.Query), Is.EqualTo(new[] { Query, "Orbitel", "Ada Brand" }));
        Assert.That(chat.Calls, Has.Count.EqualTo(3));
        Assert.That(response.AdditionalProperties![RerankResponseProperties.MultiHopStopReason], Is.EqualTo("repeated_query"));
        Assert.That(((IReadOnlyList<MultiHopStep>)response.AdditionalProperties[RerankResponseProperties.MultiHopSteps]!).Select(s => s.Weight), Is.EqualTo(new[] { 1.0, 0.5, 0.25 }));
    }

    [TestCase("")]
    [TestCase("\n  \n")]
    [TestCase("???")]
    public async Task An_empty_or_garbage_follow_up_stops_with_the_first_hop(string reply)
    {
        var inner = new ProbeReranker();
        using IReranker reranker = new RerankerBuilder(inner).UseMultiHop(ScriptedChatClient.FromTexts(reply)).Build();

        RerankResponse response = await reranker.RerankAsync(Query, Texts);

        Assert.That(inner.BackendCalls, Is.EqualTo(1));
        Assert.That(response.AdditionalProperties![RerankResponseProperties.MultiHopStopReason], Is.EqualTo("empty_follow_up"));
    }

    [Test]
    public async Task A_failing_chat_call_leaves_the_first_hop_answering_and_says_why()
    {
        var chat = new ScriptedChatClient((_, _, _) => throw new HttpRequestException("LLM returned 500"));
        using IReranker reranker = new RerankerBuilder(new ProbeReranker()).UseMultiHop(chat).Build();

        RerankResponse response = await reranker.RerankAsync(Query, Texts, new RerankOptions { TopN = 1 });

        Assert.That(response.Results, Has.Count.EqualTo(1));
        Assert.That(response.AdditionalProperties![RerankResponseProperties.MultiHopStopReason], Does.StartWith("follow_up_failed: HttpRequestException").And.Contain("500"));
    }

    [Test]
    public async Task An_over_long_follow_up_is_cut_and_passages_are_cut_for_the_prompt()
    {
        var chat = ScriptedChatClient.FromTexts(new string('q', 1000));
        var inner = new ProbeReranker();
        using IReranker reranker = new RerankerBuilder(inner).UseMultiHop(chat, o => { o.MaxFollowUpLength = 40; o.MaxPassageCharacters = 10; o.PassagesForFollowUp = 1; }).Build();

        await reranker.RerankAsync(Query, Texts);

        Assert.That(inner.Calls[1].Query, Has.Length.EqualTo(40));
        Assert.That(chat.Calls.Single().User, Does.Contain("<passage>The ZX pho</passage>").And.Not.Contain("Orbitel was"));
    }

    [Test]
    public void Cancellation_during_the_follow_up_propagates()
    {
        using var cts = new CancellationTokenSource();
        var chat = new ScriptedChatClient(async (_, _, ct) => { cts.Cancel(); await Task.Delay(Timeout.Infinite, ct); return ScriptedChatClient.Reply("x"); });
        var inner = new ProbeReranker();
        using IReranker reranker = new RerankerBuilder(inner).UseMultiHop(chat).Build();

        Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), () => reranker.RerankAsync(Query, Texts, cancellationToken: cts.Token));
        Assert.That(inner.BackendCalls, Is.EqualTo(1));
    }

    [Test]
    public void Metadata_is_set_dependent_options_are_checked_and_the_chat_client_is_not_disposed()
    {
        var chat = ScriptedChatClient.FromTexts("x");
        var inner = new TestReranker();
        IReranker reranker = new RerankerBuilder(inner).UseMultiHop(chat).Build();

        RerankerMetadata metadata = reranker.GetService<RerankerMetadata>()!;
        Assert.That(metadata.ScoreSemantics, Is.EqualTo(RerankScoreSemantics.CandidateSetDependent));
        Assert.That(metadata.ScoringFingerprint, Does.StartWith("multi_hop(hops=2,decay=0.5,").And.Contain("scripted-model").And.EndWith(">test-lexical(model=test-lexical)"));
        reranker.Dispose();
        Assert.That(inner.IsDisposed, Is.True);
        Assert.That(chat.Disposed, Is.False);

        Assert.Throws<ArgumentOutOfRangeException>(() => new MultiHopReranker(new TestReranker(), chat, new MultiHopRerankerOptions { MaxHops = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MultiHopReranker(new TestReranker(), chat, new MultiHopRerankerOptions { Decay = 1.5 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MultiHopReranker(new TestReranker(), chat, new MultiHopRerankerOptions { Decay = double.NaN }));
        Assert.Throws<ArgumentNullException>(() => new MultiHopReranker(new TestReranker(), null!));
        Assert.That(Assert.Throws<InvalidOperationException>(() => new RerankerBuilder(new TestReranker()).UseMultiHop().Build())!.Message, Does.Contain("IChatClient"));
    }
}
