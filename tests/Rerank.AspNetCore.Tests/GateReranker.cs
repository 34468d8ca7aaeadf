namespace Rerank.AspNetCore.Tests;

/// <summary>A reranker that waits until its call is cancelled, reporting when it started and when the cancellation arrived.</summary>
internal sealed class GateReranker : IReranker
{
    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<RerankResponse> RerankAsync(string query, IEnumerable<RerankDocument> documents, RerankOptions? options = null, CancellationToken cancellationToken = default)
    {
        Started.TrySetResult();
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Cancelled.TrySetResult();
            throw;
        }

        throw new InvalidOperationException("Unreachable: the delay is infinite.");
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
