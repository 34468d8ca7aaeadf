using Rerank.Testing;

namespace Rerank.Tests.Abstractions;

[TestFixture]
public sealed class RerankerExtensionsTests
{
    private sealed record Product(string Name, string Description);

    [Test]
    public async Task Plain_strings_are_reranked_with_indices_into_the_input()
    {
        using var reranker = new TestReranker();
        string[] texts = ["bananas are yellow", "how plants make energy", "energy from sunlight"];

        RerankResponse response = await reranker.RerankAsync("plants energy sunlight", texts);

        Assert.That(response.Results.Select(r => texts[r.Index]), Is.EqualTo(response.Results.Select(r => r.Document.Text)));
        Assert.That(response.Results[^1].Index, Is.Zero);
    }

    [Test]
    public async Task Items_come_back_in_ranked_order_with_score_index_and_rank()
    {
        using var reranker = new TestReranker();
        Product[] products =
        [
            new("Kettle", "boils water fast"),
            new("Solar lamp", "charges from sunlight energy"),
            new("Plant food", "helps plants make energy from sunlight"),
        ];

        IReadOnlyList<RerankedItem<Product>> ranked = await reranker.RerankAsync("plants energy sunlight", products, p => p.Description);

        Assert.That(ranked.Select(r => r.Item.Name), Is.EqualTo(new[] { "Plant food", "Solar lamp", "Kettle" }));
        Assert.That(ranked.Select(r => r.Rank), Is.EqualTo(new[] { 0, 1, 2 }));
        Assert.That(ranked.Select(r => r.Index), Is.EqualTo(new[] { 2, 1, 0 }));
        Assert.That(ranked[0].Score, Is.GreaterThan(ranked[1].Score));
        Assert.That(ranked.All(r => ReferenceEquals(r.Item, products[r.Index])));
    }

    [Test]
    public async Task Items_honour_TopN()
    {
        using var reranker = new TestReranker();

        IReadOnlyList<RerankedItem<string>> ranked = await reranker.RerankAsync("a", ["a", "b", "a b"], s => s, new RerankOptions { TopN = 1 });

        Assert.That(ranked, Has.Count.EqualTo(1));
    }

    [Test]
    public void An_item_whose_selected_text_is_null_is_named_by_index()
    {
        using var reranker = new TestReranker();
        Product[] products = [new("a", "x"), new("b", null!)];

        var ex = Assert.ThrowsAsync<ArgumentException>(() => reranker.RerankAsync("q", products, p => p.Description));

        Assert.That(ex!.Message, Does.Contain("index 1"));
        Assert.That(reranker.BackendCalls, Is.Zero);
    }

    [Test]
    public async Task RerankBatchAsync_returns_responses_in_request_order_and_bounds_concurrency()
    {
        var gate = new ConcurrencyProbe(fullAt: 3);
        using IReranker reranker = new RerankerBuilder(new TestReranker()).Use(async (q, d, o, next, ct) =>
        {
            using (gate.Enter())
            {
                // The first calls wait until three run at once (a batch run one at a time fails instead of passing), then
                // each stays a moment longer so that a fourth, over the limit, would be seen.
                await gate.WaitUntilFullAsync();
                await Task.Delay(5, ct);
                return await next.RerankAsync(q, d, o, ct);
            }
        }).Build();
        RerankRequest[] requests = Enumerable.Range(0, 20).Select(i => new RerankRequest($"word{i}", [new($"word{i}"), new("other")])).ToArray();

        IReadOnlyList<RerankResponse> responses = await reranker.RerankBatchAsync(requests, maxConcurrency: 3);

        Assert.That(responses, Has.Count.EqualTo(20));
        for (int i = 0; i < 20; i++)
        {
            Assert.That(responses[i].Results[0].Document.Text, Is.EqualTo($"word{i}"), $"response {i} belongs to another request");
        }

        Assert.That(gate.MaxObserved, Is.EqualTo(3), "maxConcurrency: 3 runs three requests at once, never more");
    }

    [Test]
    public async Task RerankBatchAsync_over_shared_documents_reads_a_lazy_sequence_once()
    {
        using var reranker = new TestReranker();
        int enumerations = 0;
        IEnumerable<RerankDocument> Lazy()
        {
            enumerations++;
            yield return new RerankDocument("apple pie");
            yield return new RerankDocument("banana bread");
        }

        IReadOnlyList<RerankResponse> responses = await reranker.RerankBatchAsync(["apple", "banana"], Lazy());

        Assert.That(enumerations, Is.EqualTo(1));
        Assert.That(responses[0].Results[0].Document.Text, Is.EqualTo("apple pie"));
        Assert.That(responses[1].Results[0].Document.Text, Is.EqualTo("banana bread"));
    }

    [Test]
    public void RerankBatchAsync_rejects_bad_arguments_before_any_call()
    {
        using var reranker = new TestReranker();

        Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => reranker.RerankBatchAsync([new RerankRequest("q", [])], maxConcurrency: 0));
        Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => reranker.RerankBatchAsync([new RerankRequest("q", [new("a")])], new RerankOptions { TopN = 0 }));
        var ex = Assert.ThrowsAsync<ArgumentException>(() => reranker.RerankBatchAsync([new RerankRequest("q", []), null!]));
        Assert.That(ex!.Message, Does.Contain("index 1"));
        ex = Assert.ThrowsAsync<ArgumentException>(() => reranker.RerankBatchAsync(
            [new RerankRequest("q", [new("a")]), new RerankRequest("q", [new("b")]), new RerankRequest(" ", [new("c")])], maxConcurrency: 1));
        Assert.That(ex!.Message, Does.Contain("index 2"), "a blank query is named by its request");
        Assert.That(reranker.BackendCalls, Is.Zero, "and found before the first two requests are paid for");
    }

    [Test]
    public void RerankBatchAsync_surfaces_a_failure()
    {
        using IReranker reranker = new RerankerBuilder(new TestReranker())
            .Use((q, d, o, next, ct) => q == "bad" ? throw new InvalidOperationException("boom") : next.RerankAsync(q, d, o, ct))
            .Build();

        Assert.ThrowsAsync<InvalidOperationException>(() => reranker.RerankBatchAsync(["good", "bad", "good"], [new RerankDocument("x")]));
    }

    [Test]
    public void GetRequiredService_throws_naming_the_missing_type()
    {
        using var reranker = new TestReranker();

        var ex = Assert.Throws<InvalidOperationException>(() => reranker.GetRequiredService<IDisposable>("key"));

        Assert.That(ex!.Message, Does.Contain("System.IDisposable"));
        Assert.That(reranker.GetRequiredService<RerankerMetadata>().ProviderName, Is.EqualTo("test"));
    }

    private sealed class ConcurrencyProbe(int fullAt)
    {
        private readonly TaskCompletionSource _full = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _current;
        private int _max;

        public int MaxObserved => Volatile.Read(ref _max);

        /// <summary>Waits until <c>fullAt</c> callers have been inside at once, or 10 s (the caller's assertion then fails).</summary>
        public async Task WaitUntilFullAsync()
        {
            try
            {
                await _full.Task.WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (TimeoutException)
            {
            }
        }

        public IDisposable Enter()
        {
            int now = Interlocked.Increment(ref _current);
            if (now >= fullAt)
            {
                _full.TrySetResult();
            }

            int seen;
            while (now > (seen = Volatile.Read(ref _max)) && Interlocked.CompareExchange(ref _max, now, seen) != seen)
            {
            }

            return new Exit(this);
        }

        private sealed class Exit(ConcurrencyProbe probe) : IDisposable
        {
            public void Dispose() => Interlocked.Decrement(ref probe._current);
        }
    }
}
