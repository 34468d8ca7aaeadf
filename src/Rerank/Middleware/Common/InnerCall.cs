namespace Rerank;

/// <summary>
/// How a layer calls another reranker, so that it behaves the same whether that reranker completes asynchronously,
/// does its work on the caller's thread (ONNX, BM25, a custom provider), or throws before it returns a task.
/// </summary>
internal static class InnerCall
{
    /// <summary>
    /// Calls <paramref name="reranker"/> on the current thread; an exception it throws synchronously, and a
    /// <see langword="null"/> task, come back as a faulted task, so that the layer handles them where it handles
    /// asynchronous failures.
    /// </summary>
    public static Task<RerankResponse> Invoke(IReranker reranker, string query, IEnumerable<RerankDocument> documents, RerankOptions? options, CancellationToken cancellationToken)
    {
        try
        {
            return reranker.RerankAsync(query, documents, options, cancellationToken)
                ?? Task.FromException<RerankResponse>(new InvalidOperationException($"The reranker {reranker.GetType().FullName} returned a null task."));
        }
        catch (Exception ex)
        {
            // Faulted with the very exception (an OperationCanceledException too), so awaiting it rethrows it unchanged.
            return Task.FromException<RerankResponse>(ex);
        }
    }

    /// <summary>
    /// Starts <paramref name="work"/> on the thread pool and returns at once, for a layer that must keep going while
    /// the call runs (a timeout that has to fire, signals that must overlap): a reranker that computes on the caller's
    /// thread would otherwise hold the layer until it is done.
    /// </summary>
    public static Task<T> Start<T>(Func<Task<T>> work) => Task.Run(work, CancellationToken.None);

    /// <summary>Starts <paramref name="work"/> on the thread pool and returns at once; see <see cref="Start{T}"/>.</summary>
    public static Task Start(Func<Task> work) => Task.Run(work, CancellationToken.None);

    /// <summary>Starts <see cref="Invoke"/> on the thread pool; see <see cref="Start{T}"/>.</summary>
    public static Task<RerankResponse> Start(IReranker reranker, string query, IEnumerable<RerankDocument> documents, RerankOptions? options, CancellationToken cancellationToken) =>
        Start(() => Invoke(reranker, query, documents, options, cancellationToken));

    /// <summary>Observes a call the layer stopped waiting for, so that its later failure is not reported as unobserved.</summary>
    public static void Abandon(Task call) =>
        _ = call.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
}
