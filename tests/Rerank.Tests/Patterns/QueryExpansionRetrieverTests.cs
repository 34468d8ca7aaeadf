using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Rerank.Testing;
using Rerank.Tests.Llm;
using Rerank.Tests.Middleware;

namespace Rerank.Tests.Patterns;

[TestFixture]
public sealed class QueryExpansionRetrieverTests
{
    private const string Query = "plants energy sunlight";

    // A first stage that returns, for each query, the corpus documents containing its first word, in corpus order.
    private static readonly RerankDocument[] Corpus =
    [
        new("plants make energy from sunlight") { Id = "a" },
        new("green plants grow") { Id = "b" },
        new("photosynthesis turns light into sugar") { Id = "c" },
        new("chlorophyll absorbs light") { Id = "d" },
        new("the stock market fell") { Id = "e" },
    ];

    private ConcurrentQueue<(string Query, int Count)> _searches = new();

    [SetUp]
    public void SetUp() => _searches = new();

    private Task<IReadOnlyList<RerankDocument>> Search(string query, int count, CancellationToken cancellationToken)
    {
        _searches.Enqueue((query, count));
        string first = query.Split(' ')[0];
        return Task.FromResult<IReadOnlyList<RerankDocument>>([.. Corpus.Where(d => d.Text.Contains(first, StringComparison.Ordinal)).Take(count)]);
    }

    [Test]
    public async Task Variants_from_the_chat_client_are_searched_united_by_id_with_RRF_and_reranked_once_with_the_original_query()
    {
        var chat = ScriptedChatClient.FromTexts("photosynthesis of plants\nchlorophyll pigments\nplants energy sunlight");
        var inner = new ProbeReranker();
        using var retriever = new QueryExpansionRetriever(inner, Search, chat);

        RerankResponse response = await retriever.SearchAsync(Query, new RerankOptions { TopN = 3 });

        Assert.That(_searches.Select(s => s.Query), Is.EquivalentTo(new[] { Query, "photosynthesis of plants", "chlorophyll pigments" }), "the repeat of the query is dropped");
        Assert.That(inner.Calls.Single().Query, Is.EqualTo(Query), "reranked once, with the user's query");
        var candidates = (IReadOnlyList<RerankDocument>)response.AdditionalProperties![RerankResponseProperties.ExpansionCandidates]!;
        Assert.That(candidates.Select(c => c.Id), Is.EqualTo(new[] { "a", "c", "d", "b" }), "a: rank 1 for the query; c, d: rank 1 for a variant; b: rank 2");
        Assert.That(candidates[0].Score, Is.EqualTo(1.0 / 61).Within(1e-12), "the fused RRF score, not a search's own");
        Assert.That(response.Results, Has.Count.EqualTo(3));
        Assert.That(response.Results.All(r => ReferenceEquals(r.Document, candidates[r.Index])), "Index points into the fused candidates");
        Assert.That(response.AdditionalProperties[RerankResponseProperties.ExpansionQueries], Is.EqualTo(new[] { Query, "photosynthesis of plants", "chlorophyll pigments" }));
        Assert.That(response.AdditionalProperties[RerankResponseProperties.ExpansionDroppedVariants], Is.EqualTo(1));
        Assert.That((IReadOnlyList<QueryExpansionFailure>)response.AdditionalProperties[RerankResponseProperties.ExpansionFailures]!, Is.Empty);
        Assert.That(chat.Calls.Single().User, Does.Contain(Query));
    }

    [Test]
    public async Task A_model_that_answers_500_variants_gets_only_the_first_ones_searched()
    {
        var chat = ScriptedChatClient.FromTexts(string.Join('\n', Enumerable.Range(0, 500).Select(i => $"{i + 1}. green variant {i}")));
        using var retriever = new QueryExpansionRetriever(new ProbeReranker(), Search, chat, new QueryExpansionOptions { MaxVariants = 4 });

        RerankResponse response = await retriever.SearchAsync(Query);

        Assert.That(_searches, Has.Count.EqualTo(5));
        Assert.That((IReadOnlyList<string>)response.AdditionalProperties![RerankResponseProperties.ExpansionQueries]!, Is.EqualTo(new[] { Query, "green variant 0", "green variant 1", "green variant 2", "green variant 3" }));
        Assert.That(response.AdditionalProperties[RerankResponseProperties.ExpansionDroppedVariants], Is.EqualTo(496));
    }

    [TestCase("")]
    [TestCase("   \n\n ")]
    [TestCase("!!!\n???\n---")]
    public async Task No_variants_or_garbage_leave_the_original_query_alone(string reply)
    {
        using var retriever = new QueryExpansionRetriever(new ProbeReranker(), Search, ScriptedChatClient.FromTexts(reply));

        RerankResponse response = await retriever.SearchAsync(Query);

        Assert.That(_searches.Select(s => s.Query), Is.EqualTo(new[] { Query }));
        Assert.That(response.Results.Select(r => r.Document.Id), Is.EquivalentTo(new[] { "a", "b" }));
    }

    [Test]
    public async Task A_JSON_array_reply_and_over_long_or_control_character_variants_are_handled()
    {
        string longVariant = new('x', 300);
        var chat = ScriptedChatClient.FromTexts($"[\"chlorophyll\", \"{longVariant}\", \"bad\\u0007bell\", 42, \"green\"]");
        using var retriever = new QueryExpansionRetriever(new ProbeReranker(), Search, chat);

        RerankResponse response = await retriever.SearchAsync(Query);

        Assert.That(response.AdditionalProperties![RerankResponseProperties.ExpansionQueries], Is.EqualTo(new[] { Query, "chlorophyll", "green" }));
    }

    [Test]
    public async Task A_failing_variant_search_is_reported_and_the_others_still_count()
    {
        Task<IReadOnlyList<RerankDocument>> Flaky(string q, int k, CancellationToken ct) =>
            q.StartsWith("chlorophyll", StringComparison.Ordinal) ? throw new HttpRequestException("index shard down") : Search(q, k, ct);
        using var retriever = new QueryExpansionRetriever(new ProbeReranker(), Flaky, (_, _, _) => Task.FromResult<IReadOnlyList<string>>(["chlorophyll", "photosynthesis"]));

        RerankResponse response = await retriever.SearchAsync(Query);

        QueryExpansionFailure failure = ((IReadOnlyList<QueryExpansionFailure>)response.AdditionalProperties![RerankResponseProperties.ExpansionFailures]!).Single();
        Assert.That(failure.Query, Is.EqualTo("chlorophyll"));
        Assert.That(failure.Stage, Is.EqualTo("search"));
        Assert.That(failure.Error, Is.TypeOf<HttpRequestException>());
        Assert.That(response.Results.Select(r => r.Document.Id), Is.EquivalentTo(new[] { "a", "b", "c" }));
    }

    [Test]
    public void When_every_search_fails_the_call_throws_with_each_failure()
    {
        using var retriever = new QueryExpansionRetriever(new ProbeReranker(), (_, _, _) => throw new TimeoutException("down"),
            (_, _, _) => Task.FromResult<IReadOnlyList<string>>(["green"]));

        var ex = Assert.ThrowsAsync<AggregateException>(() => retriever.SearchAsync(Query));

        Assert.That(ex!.InnerExceptions, Has.Count.EqualTo(2).And.All.TypeOf<TimeoutException>());
    }

    [Test]
    public async Task A_failing_generator_is_reported_and_the_original_query_still_answers()
    {
        var chat = new ScriptedChatClient((_, _, _) => throw new HttpRequestException("500 from the LLM"));
        using var retriever = new QueryExpansionRetriever(new ProbeReranker(), Search, chat);

        RerankResponse response = await retriever.SearchAsync(Query);

        Assert.That(((IReadOnlyList<QueryExpansionFailure>)response.AdditionalProperties![RerankResponseProperties.ExpansionFailures]!).Single().Stage, Is.EqualTo("generate"));
        Assert.That(response.Results, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Candidates_are_bounded_per_query_and_in_total()
    {
        // This search ignores the count it is given; the retriever cuts it anyway.
        Task<IReadOnlyList<RerankDocument>> Greedy(string q, int k, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<RerankDocument>>([.. Enumerable.Range(0, 100).Select(i => new RerankDocument($"{q} {i}") { Id = $"{q}-{i}" })]);
        var inner = new ProbeReranker();
        using var retriever = new QueryExpansionRetriever(inner, Greedy, (_, _, _) => Task.FromResult<IReadOnlyList<string>>(["v1", "v2"]),
            new QueryExpansionOptions { CandidatesPerQuery = 5, MaxCandidates = 12 });

        await retriever.SearchAsync(Query);

        Assert.That(inner.Calls.Single().Documents, Has.Count.EqualTo(12));
    }

    [Test]
    public void Cancellation_stops_the_generator_and_the_searches()
    {
        using var cts = new CancellationTokenSource();
        var chat = new ScriptedChatClient(async (_, _, ct) => { cts.Cancel(); await Task.Delay(Timeout.Infinite, ct); return ScriptedChatClient.Reply("x"); });
        var inner = new ProbeReranker();
        using var retriever = new QueryExpansionRetriever(inner, Search, chat);

        Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), () => retriever.SearchAsync(Query, cancellationToken: cts.Token));
        Assert.That(_searches, Is.Empty);
        Assert.That(inner.BackendCalls, Is.Zero);
    }

    [Test]
    public void A_search_cancelled_by_the_caller_is_not_reported_as_a_failure_but_cancels()
    {
        using var cts = new CancellationTokenSource();
        async Task<IReadOnlyList<RerankDocument>> Slow(string q, int k, CancellationToken ct)
        {
            cts.Cancel();
            await Task.Delay(Timeout.Infinite, ct);
            return [];
        }

        using var retriever = new QueryExpansionRetriever(new ProbeReranker(), Slow, (_, _, _) => Task.FromResult<IReadOnlyList<string>>([]));

        Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), () => retriever.SearchAsync(Query, cancellationToken: cts.Token));
    }

    [Test]
    public void Bad_arguments_and_options_are_rejected_and_dispose_owns_only_the_reranker()
    {
        var chat = ScriptedChatClient.FromTexts("x");
        var inner = new TestReranker();
        Assert.Throws<ArgumentNullException>(() => new QueryExpansionRetriever(inner, null!, chat));
        Assert.Throws<ArgumentNullException>(() => new QueryExpansionRetriever(inner, Search, (IChatClient)null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => new QueryExpansionRetriever(inner, Search, chat, new QueryExpansionOptions { MaxVariants = 21 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new QueryExpansionRetriever(inner, Search, chat, new QueryExpansionOptions { MaxCandidates = 0 }));

        var retriever = new QueryExpansionRetriever(inner, Search, chat);
        Assert.ThrowsAsync<ArgumentException>(() => retriever.SearchAsync(" "));
        Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => retriever.SearchAsync(Query, new RerankOptions { TopN = 0 }));
        retriever.Dispose();
        retriever.Dispose();
        Assert.That(inner.IsDisposed, Is.True);
        Assert.That(chat.Disposed, Is.False);
        Assert.ThrowsAsync<ObjectDisposedException>(() => retriever.SearchAsync(Query));
    }
}
