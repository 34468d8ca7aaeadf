using Microsoft.Extensions.AI;
using Rerank.Testing;
using Rerank.Tests.Llm;

namespace Rerank.Tests.Patterns;

/// <summary>The snippets of docs/patterns.md and docs/middleware/selective.md, as written there, over a test model, an in-memory first stage and a scripted chat client.</summary>
[TestFixture]
public sealed class PatternsSnippetTests
{
    private static readonly RerankDocument[] Index =
    [
        new("Plants make energy from sunlight through photosynthesis.") { Id = "p1", Score = 12.0 },
        new("Chlorophyll absorbs light.") { Id = "p2", Score = 7.5 },
        new("The stock market fell.") { Id = "p3", Score = 2.0 },
    ];

    private static async Task<IReadOnlyList<RerankDocument>> SearchIndexAsync(string query, int count, CancellationToken cancellationToken)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        string first = query.Split(' ')[0].ToLowerInvariant();
        return [.. Index.Where(d => d.Text.Contains(first, StringComparison.OrdinalIgnoreCase) || first == "how").Take(count)];
    }

    [Test]
    public async Task Selective_reranking_snippet()
    {
        IReranker model = new TestReranker();
        string query = "how do plants make energy";
        RerankDocument[] candidates = Index;

        using IReranker reranker = new RerankerBuilder(model)
            .UseOpenTelemetry()
            .UseSelectiveReranking(
                SelectiveRerankingPolicy.RerankWhenAmbiguous(topK: 5, maxStandardDeviation: 0.5),
                SelectiveRerankingPolicy.TopScoreMargin(4))
            .Build();

        RerankResponse response = await reranker.RerankAsync(query, candidates, new RerankOptions { TopN = 10 });
        Console.WriteLine(response.AdditionalProperties![RerankResponseProperties.SelectiveScoreSource]); // first_stage or reranker

        Assert.That(response.AdditionalProperties[RerankResponseProperties.SelectiveScoreSource], Is.EqualTo("first_stage"), "12 leads 7.5 by 4.5");
        Assert.That(((TestReranker)model).BackendCalls, Is.Zero);
    }

    [Test]
    public async Task Selective_middleware_page_snippet()
    {
        var crossEncoder = new TestReranker();
        string query = "how do plants make energy";
        RerankDocument[] candidates = [.. Index.Select(d => new RerankDocument(d.Text) { Id = d.Id, Score = d.Score / 100 })];

        using IReranker reranker = new RerankerBuilder(crossEncoder)
            .UseOpenTelemetry()                                              // counts skipped and reranked calls
            .UseSelectiveReranking(
                SelectiveRerankingPolicy.RerankWhenAmbiguous(topK: 5, maxStandardDeviation: 0.02), // a veto: ambiguous => rerank
                SelectiveRerankingPolicy.TopScoreMargin(0.15),                // the first stage's best leads clearly => skip
                SelectiveRerankingPolicy.Custom("short_lists", c => c.Documents.Count <= 2 ? SelectiveRerankingVerdict.Skip : SelectiveRerankingVerdict.Abstain))
            .UseMemoryCache()                                                 // below: caches the model's pointwise scores
            .Build();

        RerankResponse response = await reranker.RerankAsync(query, candidates, new RerankOptions { TopN = 5 });
        bool skipped = (bool)response.AdditionalProperties![RerankResponseProperties.SelectiveSkipped]!;

        Assert.That(skipped, Is.False, "0.12 leads 0.075 by less than 0.15, and no list of two");
        Assert.That(crossEncoder.BackendCalls, Is.EqualTo(1));
    }

    [Test]
    public async Task Query_expansion_snippet()
    {
        IReranker model = new TestReranker();
        FirstStageSearch search = SearchIndexAsync;
        IChatClient chatClient = ScriptedChatClient.FromTexts("chlorophyll and light\nphotosynthesis in plants");

        using var retriever = new QueryExpansionRetriever(model, search, chatClient,
            new QueryExpansionOptions { MaxVariants = 3, CandidatesPerQuery = 20, MaxCandidates = 50 });

        RerankResponse response = await retriever.SearchAsync("how do plants make energy", new RerankOptions { TopN = 3 });
        var queries = (IReadOnlyList<string>)response.AdditionalProperties![RerankResponseProperties.ExpansionQueries]!;
        var failures = (IReadOnlyList<QueryExpansionFailure>)response.AdditionalProperties[RerankResponseProperties.ExpansionFailures]!;

        Assert.That(queries, Is.EqualTo(new[] { "how do plants make energy", "chlorophyll and light", "photosynthesis in plants" }));
        Assert.That(failures, Is.Empty);
        Assert.That(response.Results, Has.Count.EqualTo(3));
        Assert.That(response.Results[0].Document.Id, Is.EqualTo("p1"));
    }

    [Test]
    public async Task Multi_hop_snippet()
    {
        IReranker model = new TestReranker();
        IChatClient chatClient = ScriptedChatClient.FromTexts("Orbitel founded by");
        string[] passages = ["The ZX phone is made by the company Orbitel.", "Orbitel was founded by Ada Brand in 1990.", "Phones need batteries."];
        var lines = new List<string>();

        using IReranker reranker = new RerankerBuilder(model)
            .UseMultiHop(chatClient, o => { o.MaxHops = 2; o.Decay = 0.5; o.PassagesForFollowUp = 3; })
            .Build();

        RerankResponse response = await reranker.RerankAsync("who founded the company that makes the ZX phone", passages);
        var steps = (IReadOnlyList<MultiHopStep>)response.AdditionalProperties![RerankResponseProperties.MultiHopSteps]!;
        foreach (RerankResult result in response.Results)
            lines.Add($"{result.Score:F3} = " + string.Join(" + ", result.ScoreComponents!.Select(c => $"{c.Weight} x {c.RawValue:F3} ({c.Name})")));

        Assert.That(steps.Select(s => s.Query), Is.EqualTo(new[] { "who founded the company that makes the ZX phone", "Orbitel founded by" }));
        Assert.That(lines, Has.Count.EqualTo(3).And.All.Contains("(hop0) + 0.5 x"));
    }
}
