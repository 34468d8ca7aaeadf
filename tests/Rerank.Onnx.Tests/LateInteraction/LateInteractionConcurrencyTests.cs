namespace Rerank.Onnx.Tests.LateInteraction;

/// <summary>Sharing one instance: concurrent callers, cancellation, and Dispose while calls are in flight.</summary>
public sealed class LateInteractionConcurrencyTests
{
    private static readonly ColBertGolden Golden = ColBertGolden.Load();
    private static readonly RerankDocument[] Documents = [.. Golden.DocumentTexts.Select(t => new RerankDocument(t))];

    private static OnnxLateInteractionReranker Create() =>
        new(new OnnxLateInteractionOptions(ColBertGolden.Directory) { IntraOpNumThreads = 1, BatchSize = 3, DocumentCacheBytes = 0 });

    [Test]
    public async Task Concurrent_callers_get_the_scores_a_lone_caller_gets()
    {
        using OnnxLateInteractionReranker reranker = Create();
        string[] queries = [.. Golden.Queries.Where(q => !string.IsNullOrWhiteSpace(q.Text)).Select(q => q.Text)];

        RerankResponse[] responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(() => reranker.RerankAsync(queries[i % queries.Length], Documents))));

        for (int i = 0; i < responses.Length; i++)
        {
            int q = Golden.Queries.ToList().FindIndex(g => g.Text == queries[i % queries.Length]);
            Assert.That(responses[i].Results.OrderBy(r => r.Index).Select(r => r.Score), Is.EqualTo(Golden.Scores[q]).Within(1e-4));
        }
    }

    [Test]
    public async Task The_call_returns_to_the_caller_while_it_is_held_and_cancellation_stops_it()
    {
        using OnnxLateInteractionReranker reranker = Create();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        reranker.BeforeScoring = async token =>
        {
            entered.TrySetResult();
            await Task.Delay(Timeout.Infinite, token);
        };
        using var cts = new CancellationTokenSource();

        Task<RerankResponse> call = reranker.RerankAsync(Golden.Queries[0].Text, Documents, cancellationToken: cts.Token);
        await entered.Task;
        Assert.That(call.IsCompleted, Is.False, "the call is in flight, and the caller has its task");
        await cts.CancelAsync();

        Assert.That(async () => await call, Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task Dispose_waits_for_calls_in_flight_and_later_calls_are_refused()
    {
        OnnxLateInteractionReranker reranker = Create();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        reranker.BeforeScoring = async _ =>
        {
            entered.TrySetResult();
            await release.Task;
        };

        Task<RerankResponse> inFlight = reranker.RerankAsync(Golden.Queries[0].Text, Documents);
        await entered.Task;
        Task disposing = Task.Run(reranker.Dispose);
        SpinWait.SpinUntil(() => reranker.IsDisposing);

        Assert.That(() => reranker.RerankAsync("later", ["a"]), Throws.TypeOf<ObjectDisposedException>());
        Assert.That(async () => await reranker.EncodeDocumentsAsync(["a"]), Throws.TypeOf<ObjectDisposedException>());
        Assert.That(disposing.IsCompleted, Is.False, "Dispose waits for the call in flight");
        release.SetResult();

        RerankResponse response = await inFlight;
        await disposing;
        Assert.That(response.Results.OrderBy(r => r.Index).Select(r => r.Score), Is.EqualTo(Golden.Scores[0]).Within(1e-4), "the session outlived the call");
        Assert.That(() => reranker.EncodeQueryAsync("q"), Throws.TypeOf<ObjectDisposedException>());
        reranker.Dispose();
    }
}
