using Rerank.Testing;

namespace Rerank.Tests.Hybrid;

/// <summary>Other rerankers as signals: what they are called with, what comes back, services and ownership.</summary>
[TestFixture]
public sealed class HybridRerankerSignalTests
{
    [Test]
    public async Task The_inner_reranker_scores_every_candidate_without_TopN_threshold_or_model_id()
    {
        using var recorder = new RecordingReranker();
        using HybridReranker reranker = new HybridRerankerBuilder().AddReranker(recorder).Build();
        var options = new RerankOptions { TopN = 1, ScoreThreshold = 0.1, ModelId = "hybrid-model", MaxTokensPerDocument = 128, AdditionalProperties = new Dictionary<string, object?> { ["k"] = "v" } };

        RerankResponse response = await reranker.RerankAsync("q", HybridTestData.Documents(4), options);

        Assert.That(response.Results, Has.Count.EqualTo(1), "the caller's TopN applies to the fused ranking");
        RerankOptions seen = recorder.LastOptions!;
        Assert.That(seen, Is.Not.SameAs(options));
        Assert.That((seen.TopN, seen.ScoreThreshold, seen.ModelId, seen.MaxTokensPerDocument), Is.EqualTo(((int?)null, (double?)null, (string?)null, (int?)128)));
        Assert.That(seen.AdditionalProperties, Is.EqualTo(options.AdditionalProperties));
        Assert.That(options.TopN, Is.EqualTo(1), "the caller's options are untouched");
        Assert.That(recorder.LastCount, Is.EqualTo(4));
    }

    [Test]
    public async Task Scores_are_mapped_back_by_index_and_usage_is_summed()
    {
        using var first = new TestReranker();
        using var second = new TestReranker { ModelId = "second" };
        using HybridReranker reranker = new HybridRerankerBuilder().AddReranker(first, 0.5, ScoreNormalization.None).AddReranker(second, 0.5, ScoreNormalization.None).Build();
        string[] texts = ["plants make energy", "stock market", "plants"];

        RerankResponse response = await reranker.RerankAsync("plants energy", texts);

        foreach (RerankResult result in response.Results)
        {
            Assert.That(result.Component("test-lexical").RawValue, Is.EqualTo(TestReranker.Score("plants energy", texts[result.Index])));
            Assert.That(result.Component("second").RawValue, Is.EqualTo(TestReranker.Score("plants energy", texts[result.Index])));
        }

        RerankUsage single = (await first.RerankAsync("plants energy", texts)).Usage!;
        Assert.That(response.Usage!.InputTokenCount, Is.EqualTo(2 * single.InputTokenCount));
        Assert.That(first.BackendCalls, Is.EqualTo(2));
    }

    [Test]
    public async Task A_reranker_that_leaves_documents_out_gives_them_missing_values()
    {
        using var partial = new RecordingReranker { KeepOnly = 2 };
        using HybridReranker reranker = new HybridRerankerBuilder().AddReranker(partial).Build();

        RerankResult[] results = (await reranker.RerankAsync("q", HybridTestData.Documents(4))).ByIndex();

        Assert.That(results.Count(r => double.IsNaN(r.Component("recording").RawValue)), Is.EqualTo(2));
        Assert.That(results.Select(r => r.Score), Is.All.Not.NaN);
    }

    [Test]
    public async Task A_reranker_returning_a_bad_index_is_a_signal_failure()
    {
        using var broken = new RecordingReranker { BadIndex = true };
        using HybridReranker reranker = new HybridRerankerBuilder().AddReranker(broken).AddBm25().OnSignalFailure(HybridSignalFailureBehavior.DropSignal).Build();

        RerankResponse response = await reranker.RerankAsync("document", HybridTestData.Documents(3));

        var dropped = (IReadOnlyList<HybridSignalException>)response.AdditionalProperties![RerankResponseProperties.HybridDroppedSignals]!;
        Assert.That(dropped.Single().InnerException!.Message, Does.Contain("index 7"));
    }

    [Test]
    public void GetService_answers_for_itself_and_reaches_the_signal_rerankers()
    {
        using var inner = new TestReranker();
        using HybridReranker reranker = new HybridRerankerBuilder().AddBm25().AddReranker(inner).Build();

        Assert.That(reranker.GetService<RerankerMetadata>()!.ProviderName, Is.EqualTo("hybrid"));
        Assert.That(reranker.GetService<HybridReranker>(), Is.SameAs(reranker));
        Assert.That(reranker.GetService<TestReranker>(), Is.SameAs(inner));
        Assert.That(reranker.GetService<string>(), Is.Null);
        Assert.Throws<ArgumentNullException>(() => reranker.GetService(null!));
    }

    [Test]
    public void Disposing_the_hybrid_reranker_disposes_the_signal_rerankers_it_owns()
    {
        var inner = new TestReranker();
        HybridReranker reranker = new HybridRerankerBuilder().AddReranker(inner).Build();

        reranker.Dispose();

        Assert.That(inner.IsDisposed, Is.True, "the ownership rule of docs/ownership.md: signals given as instances are the hybrid reranker's");
        Assert.ThrowsAsync<ObjectDisposedException>(() => reranker.RerankAsync("q", ["a"]));
    }

    /// <summary>Records what it was called with; can leave documents out or return a bad index.</summary>
    private sealed class RecordingReranker : IReranker
    {
        public RerankOptions? LastOptions { get; private set; }

        public int LastCount { get; private set; }

        public int? KeepOnly { get; init; }

        public bool BadIndex { get; init; }

        public Task<RerankResponse> RerankAsync(string query, IEnumerable<RerankDocument> documents, RerankOptions? options = null, CancellationToken cancellationToken = default)
        {
            IReadOnlyList<RerankDocument> list = RerankContract.ValidateArguments(query, documents, options);
            LastOptions = options;
            LastCount = list.Count;
            List<RerankResult> results = [.. list.Select((d, i) => new RerankResult(i, i, d)).Take(KeepOnly ?? list.Count)];
            if (BadIndex)
            {
                results.Add(new RerankResult(7, 1, list[0]));
            }

            return Task.FromResult(new RerankResponse(results) { ModelId = "recording" });
        }

        public object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceType == typeof(RerankerMetadata) ? new RerankerMetadata("recording", null, "recording") : null;

        public void Dispose()
        {
        }
    }
}
