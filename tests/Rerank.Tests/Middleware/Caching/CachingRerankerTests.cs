namespace Rerank.Tests.Middleware.Caching;

/// <summary>What the score cache does, over each in-process backend.</summary>
[TestFixture(CacheBackend.OwnMemory)]
[TestFixture(CacheBackend.Memory)]
[TestFixture(CacheBackend.Distributed)]
[TestFixture(CacheBackend.Hybrid)]
public sealed class CachingRerankerTests(CacheBackend backend)
{
    private const string Query = "how do plants make energy";

    private static readonly string[] Texts = Enumerable.Range(0, 15).Select(i => $"document {i} about plants and energy {new string('x', i)}").ToArray();

    private ProbeReranker _probe = null!;
    private IReranker _reranker = null!;

    [SetUp]
    public void SetUp()
    {
        _probe = new ProbeReranker();
        _reranker = new RerankerBuilder(_probe).UseCache(backend).Build();
    }

    [TearDown]
    public void TearDown() => _reranker.Dispose();

    [Test]
    public async Task Overlapping_candidate_lists_send_only_the_uncached_documents_to_the_inner_reranker()
    {
        List<RerankDocument> first = Texts[..10].Select(t => new RerankDocument(t)).ToList();
        List<RerankDocument> second = Texts[5..].Select(t => new RerankDocument(t)).ToList();

        await _reranker.RerankAsync(Query, first);
        RerankResponse response = await _reranker.RerankAsync(Query, second);

        Assert.That(_probe.Calls, Has.Count.EqualTo(2));
        Assert.That(_probe.Calls[1].Documents.Select(d => d.Text), Is.EqualTo(Texts[10..]), "only the five new documents, in input order");
        Assert.That(_probe.Calls[1].Documents, Is.All.Matches<RerankDocument>(d => second.Contains(d)), "the caller's own document instances reach the inner reranker");
        AssertRankedLikeTheProbe(response, second);
        Assert.That(response.AdditionalProperties![RerankResponseProperties.CacheHits], Is.EqualTo(5));
        Assert.That(response.AdditionalProperties[RerankResponseProperties.CacheMisses], Is.EqualTo(5));
    }

    [Test]
    public async Task A_repeated_call_is_answered_from_the_cache_with_the_same_ranking()
    {
        List<RerankDocument> documents = Texts.Select(t => new RerankDocument(t)).ToList();
        RerankResponse first = await _reranker.RerankAsync(Query, documents);

        RerankResponse second = await _reranker.RerankAsync(Query, documents);

        Assert.That(_probe.BackendCalls, Is.EqualTo(1));
        Assert.That(second.Results.Select(r => (r.Index, r.Score)), Is.EqualTo(first.Results.Select(r => (r.Index, r.Score))));
        Assert.That(second.ModelId, Is.EqualTo("probe-model"), "a full hit still reports the model");
        Assert.That(second.Usage, Is.Null, "nothing was consumed");
        Assert.That(second.AdditionalProperties![RerankResponseProperties.CacheHits], Is.EqualTo(documents.Count));
    }

    [Test]
    public async Task TopN_and_ScoreThreshold_are_applied_after_the_cache_and_are_not_part_of_the_key()
    {
        List<RerankDocument> documents = Texts.Select(t => new RerankDocument(t)).ToList();
        RerankResponse top3 = await _reranker.RerankAsync(Query, documents, new RerankOptions { TopN = 3 });

        RerankResponse all = await _reranker.RerankAsync(Query, documents);
        double threshold = all.Results[5].Score;
        RerankResponse filtered = await _reranker.RerankAsync(Query, documents, new RerankOptions { ScoreThreshold = threshold, TopN = 100 });

        Assert.That(_probe.BackendCalls, Is.EqualTo(1), "the first call scored everything; TopN and the threshold did not split the cache");
        Assert.That(_probe.Calls[0].Options?.TopN, Is.Null, "the inner reranker is asked for every score");
        Assert.That(top3.Results, Has.Count.EqualTo(3));
        Assert.That(all.Results, Has.Count.EqualTo(documents.Count));
        Assert.That(top3.Results.Select(r => r.Index), Is.EqualTo(all.Results.Take(3).Select(r => r.Index)));
        Assert.That(filtered.Results.Select(r => r.Index), Is.EqualTo(all.Results.Where(r => r.Score >= threshold).Select(r => r.Index)));
    }

    [Test]
    public async Task Score_affecting_options_and_the_query_are_part_of_the_key()
    {
        List<RerankDocument> documents = Texts[..4].Select(t => new RerankDocument(t)).ToList();

        await _reranker.RerankAsync(Query, documents);
        await _reranker.RerankAsync(Query, documents, new RerankOptions { ModelId = "other-model" });
        await _reranker.RerankAsync(Query, documents, new RerankOptions { MaxTokensPerDocument = 128 });
        await _reranker.RerankAsync(Query, documents, new RerankOptions { AdditionalProperties = new Dictionary<string, object?> { ["truncation"] = "END" } });
        await _reranker.RerankAsync(Query, documents, new RerankOptions { AdditionalProperties = new Dictionary<string, object?> { ["truncation"] = "START" } });
        await _reranker.RerankAsync(Query + "?", documents);
        long distinct = _probe.BackendCalls;

        await _reranker.RerankAsync(Query, documents, new RerankOptions { ModelId = "probe-model" });
        await _reranker.RerankAsync(Query, documents, new RerankOptions { MaxTokensPerDocument = 128, TopN = 2 });
        await _reranker.RerankAsync(Query, documents, new RerankOptions { AdditionalProperties = new Dictionary<string, object?> { ["truncation"] = "END" } });

        Assert.That(distinct, Is.EqualTo(6), "each different model, token limit, provider option and query is a different score");
        Assert.That(_probe.BackendCalls, Is.EqualTo(6), "the default model id is the same key as no model id; equal options hit");
    }

    [Test]
    public async Task An_option_value_that_cannot_be_keyed_reliably_bypasses_the_cache()
    {
        var options = new RerankOptions { AdditionalProperties = new Dictionary<string, object?> { ["filter"] = new object() } };
        List<RerankDocument> documents = Texts[..3].Select(t => new RerankDocument(t)).ToList();

        RerankResponse first = await _reranker.RerankAsync(Query, documents, options);
        RerankResponse second = await _reranker.RerankAsync(Query, documents, options);

        Assert.That(_probe.BackendCalls, Is.EqualTo(2));
        AssertRankedLikeTheProbe(second, documents);
        Assert.That(first.Results.Select(r => r.Score), Is.EqualTo(second.Results.Select(r => r.Score)));
    }

    [Test]
    public async Task Identical_texts_in_one_call_are_scored_once_and_each_index_gets_the_score()
    {
        List<RerankDocument> documents = ["alpha plants", "beta", "alpha plants", "gamma energy", "beta", "alpha plants"];

        RerankResponse response = await _reranker.RerankAsync(Query, documents);

        Assert.That(_probe.Calls.Single().Documents.Select(d => d.Text), Is.EqualTo(new[] { "alpha plants", "beta", "gamma energy" }));
        AssertRankedLikeTheProbe(response, documents);
    }

    [Test]
    public async Task Two_identical_concurrent_requests_are_computed_once()
    {
        var gate = new Gate();
        _probe.OnCall = gate.PassAsync;
        List<RerankDocument> documents = Texts.Select(t => new RerankDocument(t)).ToList();

        Task<RerankResponse> first = _reranker.RerankAsync(Query, documents);
        await gate.WaitForArrivalsAsync();
        Task<RerankResponse> second = _reranker.RerankAsync(Query, documents);
        Task<RerankResponse> third = _reranker.RerankAsync(Query, documents.AsEnumerable().Reverse().ToList());
        await WaitForWaitingCallsAsync(2);
        gate.Release();
        RerankResponse[] responses = await Task.WhenAll(first, second, third);

        Assert.That(_probe.BackendCalls, Is.EqualTo(1), "the second and third request waited for the first");
        AssertRankedLikeTheProbe(responses[0], documents);
        AssertRankedLikeTheProbe(responses[1], documents);
        AssertRankedLikeTheProbe(responses[2], documents.AsEnumerable().Reverse().ToList());
    }

    [Test]
    public async Task A_partly_overlapping_concurrent_request_computes_only_what_is_not_in_flight()
    {
        var gate = new Gate();
        _probe.OnCall = gate.PassAsync;
        List<RerankDocument> first = Texts[..10].Select(t => new RerankDocument(t)).ToList();
        List<RerankDocument> second = Texts[5..].Select(t => new RerankDocument(t)).ToList();

        Task<RerankResponse> firstCall = _reranker.RerankAsync(Query, first);
        await gate.WaitForArrivalsAsync();
        Task<RerankResponse> secondCall = _reranker.RerankAsync(Query, second);
        await gate.WaitForArrivalsAsync();
        gate.Release();
        await Task.WhenAll(firstCall, secondCall);

        Assert.That(_probe.Calls[1].Documents.Select(d => d.Text), Is.EqualTo(Texts[10..]));
        AssertRankedLikeTheProbe(await secondCall, second);
    }

    [Test]
    public async Task When_the_computing_request_is_cancelled_a_waiting_request_computes_the_scores_itself()
    {
        var gate = new Gate();
        _probe.OnCall = gate.PassAsync;
        List<RerankDocument> documents = Texts.Select(t => new RerankDocument(t)).ToList();
        using var cts = new CancellationTokenSource();

        Task<RerankResponse> cancelled = _reranker.RerankAsync(Query, documents, cancellationToken: cts.Token);
        await gate.WaitForArrivalsAsync();
        Task<RerankResponse> waiting = _reranker.RerankAsync(Query, documents);
        await WaitForWaitingCallsAsync(1);
        cts.Cancel();
        Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), () => cancelled);
        await gate.WaitForArrivalsAsync();
        gate.Release();

        AssertRankedLikeTheProbe(await waiting, documents);
        Assert.That(_probe.BackendCalls, Is.EqualTo(2));
    }

    [Test]
    public async Task When_the_computing_request_fails_waiting_requests_fail_alike_and_nothing_is_cached()
    {
        var gate = new Gate();
        _probe.OnCall = async call =>
        {
            await gate.PassAsync(call);
            throw new InvalidOperationException("model crashed");
        };
        List<RerankDocument> documents = Texts.Select(t => new RerankDocument(t)).ToList();

        Task<RerankResponse> first = _reranker.RerankAsync(Query, documents);
        await gate.WaitForArrivalsAsync();
        Task<RerankResponse> second = _reranker.RerankAsync(Query, documents);
        await WaitForWaitingCallsAsync(1);
        gate.Release();

        Assert.ThrowsAsync<InvalidOperationException>(() => first);
        Assert.That(Assert.ThrowsAsync<InvalidOperationException>(() => second)!.Message, Is.EqualTo("model crashed"));
        Assert.That(_probe.BackendCalls, Is.EqualTo(1));

        _probe.OnCall = null;
        AssertRankedLikeTheProbe(await _reranker.RerankAsync(Query, documents), documents);
        Assert.That(_probe.BackendCalls, Is.EqualTo(2), "a failure is not cached");
    }

    [Test]
    public async Task A_caller_cancellation_while_waiting_for_another_request_cancels_only_the_waiter()
    {
        var gate = new Gate();
        _probe.OnCall = gate.PassAsync;
        List<RerankDocument> documents = Texts.Select(t => new RerankDocument(t)).ToList();
        using var cts = new CancellationTokenSource();

        Task<RerankResponse> computing = _reranker.RerankAsync(Query, documents);
        await gate.WaitForArrivalsAsync();
        Task<RerankResponse> waiting = _reranker.RerankAsync(Query, documents, cancellationToken: cts.Token);
        await WaitForWaitingCallsAsync(1);
        cts.Cancel();

        Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), () => waiting);
        gate.Release();
        Assert.That((await computing).Results, Has.Count.EqualTo(documents.Count));
        Assert.That(_probe.BackendCalls, Is.EqualTo(1));
    }

    [Test]
    public async Task Rerankers_with_different_identities_sharing_a_cache_do_not_share_scores()
    {
        var shared = new Microsoft.Extensions.Caching.Memory.MemoryCache(new Microsoft.Extensions.Caching.Memory.MemoryCacheOptions());
        var a = new ProbeReranker("provider-a", "model");
        var b = new ProbeReranker("provider-b", "model");
        var c = new ProbeReranker("provider-b", "model");
        using IReranker cachedA = new RerankerBuilder(a).UseMemoryCache(shared).Build();
        using IReranker cachedB = new RerankerBuilder(b).UseMemoryCache(shared).Build();
        using IReranker cachedC = new RerankerBuilder(c).UseMemoryCache(shared).Build();
        using IReranker renamedC = new RerankerBuilder(c).UseMemoryCache(shared, o => o.Identity = "fine-tune-2").Build();

        await cachedA.RerankAsync(Query, Texts);
        await cachedB.RerankAsync(Query, Texts);
        await cachedC.RerankAsync(Query, Texts);
        await renamedC.RerankAsync(Query, Texts);

        Assert.That((a.BackendCalls, b.BackendCalls, c.BackendCalls), Is.EqualTo((1L, 1L, 1L)), "b and c have the same metadata, so c reuses b's scores; the renamed c does not");
    }

    [Test]
    public async Task A_long_document_layer_below_the_cache_is_part_of_the_identity()
    {
        // Two pipelines over the same model share one cache; one chunks long documents, so its scores differ.
        var shared = new Microsoft.Extensions.Caching.Memory.MemoryCache(new Microsoft.Extensions.Caching.Memory.MemoryCacheOptions());
        var plain = new Rerank.Testing.TestReranker();
        var chunking = new Rerank.Testing.TestReranker();
        var mean = new Rerank.Testing.TestReranker();
        using IReranker cachedPlain = new RerankerBuilder(plain).UseMemoryCache(shared).Build();
        using IReranker cachedChunking = new RerankerBuilder(chunking).UseMemoryCache(shared).UseLongDocuments(o => (o.WindowSize, o.Overlap) = (40, 10)).Build();
        using IReranker cachedMean = new RerankerBuilder(mean).UseMemoryCache(shared).UseLongDocuments(o => (o.WindowSize, o.Overlap, o.Pooling) = (40, 10, LongDocumentPooling.Mean)).Build();
        using IReranker uncachedChunking = new RerankerBuilder(new Rerank.Testing.TestReranker()).UseLongDocuments(o => (o.WindowSize, o.Overlap) = (40, 10)).Build();
        string[] texts = [$"unrelated words {new string('z', 30)} then plants make energy from light {new string('y', 30)} the end", "plants energy"];

        await cachedPlain.RerankAsync(Query, texts);
        RerankResponse chunked = await cachedChunking.RerankAsync(Query, texts);
        await cachedMean.RerankAsync(Query, texts);
        RerankResponse expected = await uncachedChunking.RerankAsync(Query, texts);

        Assert.That((plain.BackendCalls, chunking.BackendCalls, mean.BackendCalls), Is.EqualTo((1L, 1L, 1L)), "each pipeline scores differently, so none may read another's scores");
        Assert.That(chunked.Results.Select(r => (r.Index, r.Score)), Is.EqualTo(expected.Results.Select(r => (r.Index, r.Score))));
    }

    [Test]
    public void An_inner_reranker_that_drops_documents_is_reported_not_misread()
    {
        using IReranker reranker = new RerankerBuilder(new ProbeReranker())
            .UseCache(backend)
            .Use((query, documents, options, next, ct) => next.RerankAsync(query, documents, new RerankOptions { TopN = 1 }, ct))
            .Build();

        var ex = Assert.ThrowsAsync<InvalidOperationException>(() => reranker.RerankAsync(Query, Texts));

        Assert.That(ex!.Message, Does.Contain("returned 1 results for 15 documents"));
    }

    [Test]
    public async Task Hostile_texts_get_distinct_keys()
    {
        // Lone surrogates differ as UTF-16 but would all become U+FFFD in UTF-8; the empty text and a NUL differ too.
        List<RerankDocument> documents = ["\uD800", "\uDBFF", "", "\0", "plants\0energy", "plants energy", new string('p', 1_000_000) + " plants"];

        RerankResponse first = await _reranker.RerankAsync(Query, documents);
        RerankResponse second = await _reranker.RerankAsync(Query, documents);

        Assert.That(_probe.Calls.Single().Documents, Has.Count.EqualTo(documents.Count), "no two of them shared a key");
        AssertRankedLikeTheProbe(first, documents);
        AssertRankedLikeTheProbe(second, documents);
    }

    private async Task WaitForWaitingCallsAsync(int count)
    {
        CachingReranker caching = _reranker.GetRequiredService<CachingReranker>();
        for (int spins = 0; caching.WaitingCalls != count; spins++)
        {
            Assert.That(spins, Is.LessThan(1_000_000), $"{count} calls never started waiting for the computing call");
            await Task.Yield();
        }
    }

    private static void AssertRankedLikeTheProbe(RerankResponse response, IReadOnlyList<RerankDocument> documents)
    {
        double[] expected = documents.Select(d => ProbeReranker.Score(Query, d.Text)).ToArray();
        IReadOnlyList<RerankResult> reference = RerankContract.Rank(documents, expected, null);
        Assert.That(response.Results.Select(r => r.Index), Is.EqualTo(reference.Select(r => r.Index)));
        Assert.That(response.Results.Select(r => r.Score), Is.EqualTo(reference.Select(r => r.Score)));
        Assert.That(response.Results.Select(r => r.Document), Is.EqualTo(reference.Select(r => r.Document)).Using<RerankDocument>(ReferenceEquals));
    }
}
