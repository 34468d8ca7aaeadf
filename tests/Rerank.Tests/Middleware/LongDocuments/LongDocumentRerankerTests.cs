namespace Rerank.Tests.Middleware.LongDocuments;

[TestFixture]
public sealed class LongDocumentRerankerTests
{
    private const string Query = "photosynthesis";

    private static readonly string Filler = string.Join(' ', Enumerable.Repeat("lorem ipsum dolor", 40)); // 719 characters

    [Test]
    public async Task The_answer_at_the_end_of_a_long_document_is_found_by_the_chunk_that_holds_it()
    {
        // A model that reads only its first 100 characters, as a cross-encoder truncates at its window.
        var probe = new ProbeReranker { Scorer = (query, text) => text[..Math.Min(100, text.Length)].Contains(query, StringComparison.Ordinal) ? 1 : 0 };
        RerankDocument longDocument = new(Filler + " photosynthesis happens in leaves") { Id = "long", Score = 0.3 };
        RerankDocument shortDocument = new("about photosynthesis") { Id = "short" };
        using IReranker truncating = new RerankerBuilder(probe).Build();
        using IReranker chunking = new RerankerBuilder(probe).UseLongDocuments(o => { o.WindowSize = 100; o.Overlap = 20; }).Build();

        RerankResponse truncated = await truncating.RerankAsync(Query, [longDocument, shortDocument]);
        RerankResponse response = await chunking.RerankAsync(Query, [longDocument, shortDocument]);

        Assert.That(truncated.Results.Single(r => r.Index == 0).Score, Is.Zero, "without chunks the answer is cut off");
        Assert.That(response.Results.Select(r => (r.Index, r.Score)), Is.EqualTo(new[] { (0, 1.0), (1, 1.0) }));
        ProbeCall call = probe.Calls[^1];
        Assert.That(call.Documents[^1], Is.SameAs(shortDocument), "a document that fits is sent as it is");
        Assert.That(call.Documents.Take(call.Documents.Count - 1).Select(d => (d.Id, d.Score)), Is.All.EqualTo(("long", (double?)0.3)), "chunks keep the id and first-stage score");
        Assert.That(call.Documents.Select(d => d.Text.Length), Is.All.LessThanOrEqualTo(100));

        var matches = (IReadOnlyDictionary<string, LongDocumentMatch>)response.AdditionalProperties![RerankResponseProperties.LongDocumentMatches]!;
        LongDocumentMatch match = matches[longDocument.Text];
        Assert.That(match.BestChunk, Is.EqualTo(match.ChunkCount - 1), "the last chunk won");
        Assert.That(longDocument.Text.Substring(match.BestChunkStart, match.BestChunkLength), Does.Contain("photosynthesis"));
        Assert.That(match.BestChunkScore, Is.EqualTo(1));
        Assert.That(matches.ContainsKey(shortDocument.Text), Is.False);
        Assert.That(response.AdditionalProperties[RerankResponseProperties.ChunkedDocuments], Is.EqualTo(1));
        Assert.That(response.Results.Single(r => r.Index == 0).Document, Is.SameAs(longDocument), "the result is the caller's document, not a chunk");
    }

    [TestCase(LongDocumentPooling.Max, 0.9)]
    [TestCase(LongDocumentPooling.Mean, (0.1 + 0.9 + 0.5 + 0.7) / 4)]
    [TestCase(LongDocumentPooling.TopKMean, (0.9 + 0.7) / 2)]
    public async Task Pooling_turns_chunk_scores_into_the_document_score_and_the_components_explain_it(LongDocumentPooling pooling, double expected)
    {
        // Four chunks of exactly one word each, scored 0.1, 0.9, 0.5, 0.7.
        var scores = new Dictionary<string, double> { ["aaaa"] = 0.1, ["bbbb"] = 0.9, ["cccc"] = 0.5, ["dddd"] = 0.7 };
        var probe = new ProbeReranker { Scorer = (_, text) => scores[text] };
        using IReranker reranker = new RerankerBuilder(probe).UseLongDocuments(o =>
        {
            o.WindowSize = 4;
            o.Overlap = 0;
            o.Pooling = pooling;
            o.TopK = 2;
        }).Build();

        RerankResponse response = await reranker.RerankAsync(Query, ["aaaa bbbb cccc dddd"]);

        RerankResult result = response.Results.Single();
        Assert.That(result.Score, Is.EqualTo(expected).Within(1e-12));
        Assert.That(result.ScoreComponents!.Select(c => c.Name), Is.EqualTo(new[] { "chunk 0 [0..4)", "chunk 1 [5..9)", "chunk 2 [10..14)", "chunk 3 [15..19)" }));
        Assert.That(result.ScoreComponents!.Sum(c => c.Weight * c.NormalizedValue), Is.EqualTo(expected).Within(1e-12), "the weighted components add up to the score");
        LongDocumentMatch match = ((IReadOnlyDictionary<string, LongDocumentMatch>)response.AdditionalProperties![RerankResponseProperties.LongDocumentMatches]!).Single().Value;
        Assert.That(match, Is.EqualTo(new LongDocumentMatch(4, 1, 5, 4, 0.9)));
    }

    [Test]
    public async Task A_call_where_every_document_fits_passes_through_unchanged()
    {
        var probe = new ProbeReranker();
        using IReranker reranker = new RerankerBuilder(probe).UseLongDocuments().Build();
        var options = new RerankOptions { TopN = 1 };
        string[] documents = ["short photosynthesis", "also short"];

        RerankResponse response = await reranker.RerankAsync(Query, documents, options);

        Assert.That(probe.Calls.Single().Options, Is.SameAs(options));
        Assert.That(response.Results.Single().ScoreComponents, Is.Null);
        Assert.That(response.AdditionalProperties, Is.Null);
    }

    [Test]
    public async Task TopN_and_the_threshold_apply_to_documents_not_chunks()
    {
        var probe = new ProbeReranker();
        using IReranker reranker = new RerankerBuilder(probe).UseLongDocuments(o => { o.WindowSize = 30; o.Overlap = 5; }).Build();
        string[] documents = [Filler + " photosynthesis", "photosynthesis", Filler];

        RerankResponse response = await reranker.RerankAsync(Query, documents, new RerankOptions { TopN = 2 });

        Assert.That(probe.Calls.Single().Options?.TopN, Is.Null);
        Assert.That(response.Results.Select(r => r.Index), Is.EquivalentTo(new[] { 0, 1 }));
    }

    [Test]
    public async Task A_token_length_function_sets_the_window_in_tokens()
    {
        static int Words(string s) => s.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        var probe = new ProbeReranker();
        using IReranker reranker = new RerankerBuilder(probe).UseLongDocuments(o => { o.WindowSize = 10; o.Overlap = 3; o.LengthFunction = Words; }).Build();

        await reranker.RerankAsync(Query, [Filler]);

        Assert.That(probe.Calls.Single().Documents.Select(d => Words(d.Text)), Is.All.LessThanOrEqualTo(10));
        Assert.That(probe.Calls.Single().Documents, Has.Count.EqualTo(17), "120 words in windows of 10 that advance by 7");
    }

    [Test]
    public async Task A_megabyte_document_is_chunked_and_scored_when_the_caps_allow_it()
    {
        var probe = new ProbeReranker();
        using IReranker reranker = new RerankerBuilder(probe).UseLongDocuments(o => o.MaxChunksPerDocument = 1_000).Build();
        string huge = string.Concat(Enumerable.Repeat("plants make sugar from light; ", 35_000)) + "photosynthesis";

        RerankResponse response = await reranker.RerankAsync(Query, [huge, "nothing"]);

        Assert.That(response.Results[0].Index, Is.EqualTo(0));
        Assert.That(probe.Calls.Single().Documents.Select(d => d.Text.Length), Is.All.LessThanOrEqualTo(1_500));
        Assert.That(probe.Calls.Single().Documents, Has.Count.GreaterThan(700), "about 770 chunks: why the default caps exist");
        Assert.That(response.AdditionalProperties!.ContainsKey(RerankResponseProperties.LongDocumentsCutDocuments), Is.False);
    }

    [Test]
    public async Task A_megabyte_document_is_cut_at_MaxChunksPerDocument_and_the_response_says_so()
    {
        var probe = new ProbeReranker();
        using IReranker reranker = new RerankerBuilder(probe).UseLongDocuments().Build();
        string huge = string.Concat(Enumerable.Repeat("plants make sugar from light; ", 35_000)) + "photosynthesis";

        RerankResponse response = await reranker.RerankAsync(Query, [huge, "nothing", "plants"]);

        IReadOnlyList<RerankDocument> sent = probe.Calls.Single().Documents;
        Assert.That(sent, Has.Count.EqualTo(32 + 2), "the default cap of 32 chunks, then the two short documents");
        Assert.That(sent.Take(32).Sum(d => d.Text.Length), Is.LessThan(50_000), "only the start of the megabyte is scored");
        Assert.That(response.AdditionalProperties![RerankResponseProperties.LongDocumentsCutDocuments], Is.EqualTo(1));
        Assert.That(response.AdditionalProperties[RerankResponseProperties.TruncatedDocuments], Is.EqualTo(1));
        Assert.That(response.AdditionalProperties[RerankResponseProperties.ChunkedDocuments], Is.EqualTo(1));
    }

    [Test]
    public void A_call_whose_documents_make_more_than_MaxChunksPerRequest_chunks_is_refused_before_scoring()
    {
        var probe = new ProbeReranker();
        using IReranker reranker = new RerankerBuilder(probe).UseLongDocuments(o => { o.WindowSize = 100; o.Overlap = 0; o.MaxChunksPerRequest = 10; }).Build();
        string longText = string.Concat(Enumerable.Repeat("plants make sugar ", 40));

        var ex = Assert.ThrowsAsync<ArgumentException>(() => reranker.RerankAsync(Query, [longText, longText, longText]));

        Assert.That(ex!.Message, Does.Contain("MaxChunksPerRequest (10)").And.Contain("document 1"));
        Assert.That(ex.ParamName, Is.EqualTo("documents"));
        Assert.That(probe.Calls, Is.Empty);
    }

    [Test]
    public void Options_are_validated_when_the_pipeline_is_built()
    {
        var probe = new ProbeReranker();
        Assert.Throws<ArgumentOutOfRangeException>(() => new RerankerBuilder(probe).UseLongDocuments(o => o.WindowSize = 0).Build());
        Assert.Throws<ArgumentOutOfRangeException>(() => new RerankerBuilder(probe).UseLongDocuments(o => { o.WindowSize = 10; o.Overlap = 10; }).Build());
        Assert.Throws<ArgumentOutOfRangeException>(() => new RerankerBuilder(probe).UseLongDocuments(o => o.Overlap = -1).Build());
        Assert.Throws<ArgumentOutOfRangeException>(() => new RerankerBuilder(probe).UseLongDocuments(o => o.TopK = 0).Build());
        Assert.Throws<ArgumentOutOfRangeException>(() => new RerankerBuilder(probe).UseLongDocuments(o => o.Pooling = (LongDocumentPooling)42).Build());
        Assert.Throws<ArgumentOutOfRangeException>(() => new RerankerBuilder(probe).UseLongDocuments(o => o.MaxChunksPerDocument = 0).Build());
        Assert.Throws<ArgumentOutOfRangeException>(() => new RerankerBuilder(probe).UseLongDocuments(o => o.MaxChunksPerRequest = 0).Build());
    }
}
