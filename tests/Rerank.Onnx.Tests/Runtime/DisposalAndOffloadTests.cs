namespace Rerank.Onnx.Tests.Runtime;

/// <summary>
/// The reranker computes off the caller's thread, and disposing it while calls run neither frees the session under
/// them (which crashed the process) nor leaves them hanging: they end with <see cref="ObjectDisposedException"/> or
/// their result, and later calls fail fast. Ordering is by the between-batch callback, never by sleeps.
/// </summary>
[TestFixture]
public sealed class DisposalAndOffloadTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);

    private static RerankDocument[] ManyDocuments(int count) => [.. Enumerable.Range(0, count).Select(i => new RerankDocument($"document number {i} about compost and methane"))];

    [Test]
    public async Task RerankAsync_returns_before_the_model_runs_and_off_the_callers_thread()
    {
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        using OnnxCrossEncoderReranker reranker = ToyModels.Create(ToyModels.Bert, o => o.BatchSize = 2);
        int callerThread = Environment.CurrentManagedThreadId;
        int inferenceThread = 0;
        reranker.AfterBatch = batch =>
        {
            inferenceThread = Environment.CurrentManagedThreadId;
            entered.Set();
            release.Wait(Safety);
        };
        try
        {
            Task<RerankResponse> call = reranker.RerankAsync("q", ManyDocuments(6));
            Assert.That(entered.Wait(Safety), Is.True, "the first batch ran");
            Assert.That(call.IsCompleted, Is.False, "RerankAsync returned while the model was still working");
            Assert.That(inferenceThread, Is.Not.EqualTo(callerThread));
            release.Set();
            Assert.That((await call).Results, Has.Count.EqualTo(6));
        }
        finally
        {
            release.Set();
        }
    }

    [Test]
    public async Task Dispose_from_another_thread_during_a_call_waits_for_it_and_fails_it_with_ObjectDisposedException()
    {
        OnnxCrossEncoderReranker reranker = ToyModels.Create(ToyModels.Bert, o => o.BatchSize = 2);
        using var running = new ManualResetEventSlim();
        reranker.AfterBatch = batch =>
        {
            if (batch != 1)
            {
                return;
            }

            running.Set();

            // Hold the call inside the session until Dispose has begun (CountTokens then throws): Dispose must wait for it.
            var deadline = DateTime.UtcNow + Safety;
            while (!IsDisposed(reranker) && DateTime.UtcNow < deadline)
            {
                Thread.SpinWait(1_000);
            }
        };

        Task<RerankResponse> call = reranker.RerankAsync("q", ManyDocuments(600));
        Assert.That(running.Wait(Safety), Is.True, "the call is running");
        Task disposal = Task.Run(reranker.Dispose);
        await disposal.WaitAsync(Safety);
        long runsWhenDisposed = reranker.SessionRunCount;

        Exception? outcome = await call.WaitAsync(Safety).ContinueWith(t => t.Exception?.InnerException, TaskScheduler.Default);
        Assert.That(reranker.SessionRunCount, Is.EqualTo(runsWhenDisposed), "Dispose returned only after the call had left the session");
        Assert.That(outcome, Is.Null.Or.InstanceOf<ObjectDisposedException>(), "the call completed or was stopped with ObjectDisposedException");
        Assert.That(reranker.SessionRunCount, Is.LessThan(300), "the 300-batch call was stopped, not run to the end");
        Assert.ThrowsAsync<ObjectDisposedException>(() => reranker.RerankAsync("q", ManyDocuments(3)));
    }

    [Test]
    public void Dispose_from_inside_a_call_stops_it_with_ObjectDisposedException_and_does_not_wait_for_itself()
    {
        OnnxCrossEncoderReranker reranker = ToyModels.Create(ToyModels.Bert, o => o.BatchSize = 2);
        reranker.AfterBatch = batch =>
        {
            if (batch == 2)
            {
                reranker.Dispose();
            }
        };

        ObjectDisposedException? disposed = Assert.ThrowsAsync<ObjectDisposedException>(() => reranker.RerankAsync("q", ManyDocuments(40)));

        Assert.That(disposed!.Message, Does.Contain("disposed while the call was running"));
        Assert.That(reranker.SessionRunCount, Is.EqualTo(2), "no batch ran after Dispose");
        Assert.DoesNotThrow(reranker.Dispose);
    }

    [Test]
    public async Task Many_calls_disposed_at_once_all_end_cleanly()
    {
        OnnxCrossEncoderReranker reranker = ToyModels.Create(ToyModels.Bert, o => o.BatchSize = 1);
        using var started = new CountdownEvent(4);
        reranker.AfterBatch = batch =>
        {
            if (batch == 1 && !started.IsSet)
            {
                started.Signal();
            }
        };

        Task<RerankResponse>[] calls = [.. Enumerable.Range(0, 4).Select(_ => reranker.RerankAsync("q", ManyDocuments(200)))];
        Assert.That(started.Wait(Safety), Is.True, "every call is running");
        reranker.Dispose();

        foreach (Task<RerankResponse> call in calls)
        {
            Exception? outcome = await call.ContinueWith(t => t.Exception?.InnerException, TaskScheduler.Default);
            Assert.That(outcome, Is.Null.Or.InstanceOf<ObjectDisposedException>());
        }
    }

    private static bool IsDisposed(OnnxCrossEncoderReranker reranker)
    {
        try
        {
            reranker.CountTokens("x");
            return false;
        }
        catch (ObjectDisposedException)
        {
            return true;
        }
    }
}
