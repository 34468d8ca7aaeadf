namespace Rerank.Tests.Middleware.Fallback;

/// <summary>
/// The last resort of a fallback chain. It has no contract-suite fixture on purpose: its score is the first stage's
/// (or the position), so identical texts at different positions score differently, which the suite rightly rejects for
/// a model. Each contract rule that does apply is tested here.
/// </summary>
[TestFixture]
public sealed class FirstStageOrderRerankerTests
{
    private const string Query = "anything";

    [Test]
    public async Task Without_first_stage_scores_the_input_order_is_the_ranking()
    {
        using var reranker = new FirstStageOrderReranker();
        List<RerankDocument> documents = ["c", "a", "b", "a"];

        RerankResponse response = await reranker.RerankAsync(Query, documents);

        Assert.That(response.Results.Select(r => r.Index), Is.EqualTo(new[] { 0, 1, 2, 3 }));
        Assert.That(response.Results.Select(r => r.Score), Is.EqualTo(new[] { 1.0, 1.0 / 2, 1.0 / 3, 1.0 / 4 }));
        Assert.That(response.Results.Select(r => r.Document), Is.EqualTo(documents).Using<RerankDocument>(ReferenceEquals));
    }

    [Test]
    public async Task With_first_stage_scores_on_every_document_they_are_the_scores()
    {
        using var reranker = new FirstStageOrderReranker();
        RerankDocument[] documents = [new("x") { Score = 0.2 }, new("y") { Score = 0.9 }, new("z") { Score = 0.2 }, new("w") { Score = double.NaN }];

        RerankResponse response = await reranker.RerankAsync(Query, documents);

        Assert.That(response.Results.Select(r => r.Index), Is.EqualTo(new[] { 1, 0, 2, 3 }), "ties keep input order; NaN last");
        Assert.That(response.Results.Select(r => r.Score).Take(3), Is.EqualTo(new[] { 0.9, 0.2, 0.2 }));
    }

    [Test]
    public async Task One_document_without_a_score_makes_the_position_the_ranking()
    {
        using var reranker = new FirstStageOrderReranker();
        RerankDocument[] documents = [new("x") { Score = 0.1 }, new("y"), new("z") { Score = 0.9 }];

        RerankResponse response = await reranker.RerankAsync(Query, documents);

        Assert.That(response.Results.Select(r => r.Index), Is.EqualTo(new[] { 0, 1, 2 }));
    }

    [Test]
    public async Task TopN_and_ScoreThreshold_apply()
    {
        using var reranker = new FirstStageOrderReranker();
        string[] documents = ["a", "b", "c", "d", "e"];

        RerankResponse top = await reranker.RerankAsync(Query, documents, new RerankOptions { TopN = 2 });
        RerankResponse threshold = await reranker.RerankAsync(Query, documents, new RerankOptions { ScoreThreshold = 0.3 });

        Assert.That(top.Results.Select(r => r.Index), Is.EqualTo(new[] { 0, 1 }));
        Assert.That(threshold.Results.Select(r => r.Index), Is.EqualTo(new[] { 0, 1, 2 }), "1, 1/2 and 1/3 are at least 0.3");
    }

    [Test]
    public async Task It_keeps_the_rest_of_the_contract()
    {
        var reranker = new FirstStageOrderReranker();
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.That((await reranker.RerankAsync(Query, Array.Empty<RerankDocument>())).Results, Is.Empty);
        Assert.ThrowsAsync<ArgumentNullException>(() => reranker.RerankAsync(null!, ["a"]));
        Assert.ThrowsAsync<ArgumentException>(() => reranker.RerankAsync(" ", ["a"]));
        Assert.That(Assert.ThrowsAsync<ArgumentException>(() => reranker.RerankAsync(Query, new RerankDocument[] { "a", null! }))!.Message, Does.Contain("index 1"));
        Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => reranker.RerankAsync(Query, ["a"], new RerankOptions { TopN = 0 }));
        Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), () => reranker.RerankAsync(Query, ["a"], cancellationToken: cts.Token));
        Assert.That(reranker.GetService<RerankerMetadata>()!.ProviderName, Is.EqualTo("first-stage"));
        Assert.That(reranker.GetService(typeof(IReranker)), Is.SameAs(reranker));
        Assert.That(reranker.GetService(typeof(IReranker), "key"), Is.Null);

        reranker.Dispose();
        reranker.Dispose();
        Assert.ThrowsAsync<ObjectDisposedException>(() => reranker.RerankAsync(Query, ["a"]));
    }
}
