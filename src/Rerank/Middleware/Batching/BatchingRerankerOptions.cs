namespace Rerank;

/// <summary>Options of the batching layer added by <c>UseBatching</c>.</summary>
public sealed class BatchingRerankerOptions
{
    /// <summary>Gets or sets the most documents sent to the inner reranker in one call.</summary>
    /// <value>32 by default; at least 1. A larger request is split into batches of this size; smaller concurrent requests are coalesced up to it.</value>
    public int MaxBatchSize { get; set; } = 32;

    /// <summary>Gets or sets the most calls this layer has in flight to the inner reranker at once, across all requests.</summary>
    /// <value>
    /// 4 by default, at least 1. The limit is shared by every request of the application that goes through this layer,
    /// so 1 would leave a remote API (Cohere, TEI, an LLM) serving one call at a time for everyone; 4 keeps a few calls in
    /// flight without flooding a rate limit. Set 1 for a local model that already uses every core for one batch (the ONNX
    /// cross-encoder), or raise it for an API that serves many calls in parallel.
    /// </value>
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>Gets or sets how long a small request waits for other requests with the same query to share its inner call.</summary>
    /// <value>
    /// 2 ms by default. <see cref="TimeSpan.Zero"/> turns coalescing off. A waiting group is sent as soon as it holds
    /// <see cref="MaxBatchSize"/> documents, so the window only delays requests that arrive alone.
    /// </value>
    public TimeSpan CoalescingWindow { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>Gets or sets the clock of the coalescing window.</summary>
    /// <value><see langword="null"/> (the default) for the <see cref="TimeProvider"/> registered in the services given to <c>Build</c>, else <see cref="TimeProvider.System"/>.</value>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatchSize, 1, nameof(MaxBatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConcurrency, 1, nameof(MaxConcurrency));
        ArgumentOutOfRangeException.ThrowIfLessThan(CoalescingWindow, TimeSpan.Zero, nameof(CoalescingWindow));
    }
}
