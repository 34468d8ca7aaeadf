namespace Rerank.Testing;

/// <summary>
/// A reranker that does all its work on the caller's thread, as a CPU-bound local model may: <see cref="RerankAsync"/>
/// returns an already completed task, and every failure (bad arguments, disposal, cancellation, <see cref="OnCall"/>)
/// is thrown synchronously, before a task exists. Scores are those of <see cref="TestReranker.Score"/>.
/// </summary>
/// <remarks>Middleware must behave over it exactly as over an asynchronous reranker; the contract suite runs every layer over it.</remarks>
public sealed class SynchronousTestReranker : IReranker
{
    private static readonly RerankerMetadata Metadata = new("test-synchronous", null, "test-synchronous")
    {
        ScoreSemantics = RerankScoreSemantics.Pointwise,
        ScoringFingerprint = "test-synchronous/v1",
    };

    private long _backendCalls;
    private int _disposed;

    /// <summary>Gets the number of calls that reached the scoring "backend".</summary>
    public long BackendCalls => Interlocked.Read(ref _backendCalls);

    /// <summary>Gets a value indicating whether the instance was disposed.</summary>
    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>
    /// Gets or sets work run on the caller's thread in each backend call, before scoring, with the call's token: tests
    /// block here (on a gate, ignoring the token or not) or throw, to stand for a long synchronous computation.
    /// </summary>
    public Action<CancellationToken>? OnCall { get; set; }

    /// <inheritdoc />
    public Task<RerankResponse> RerankAsync(string query, IEnumerable<RerankDocument> documents, RerankOptions? options = null, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<RerankDocument> list = RerankContract.ValidateArguments(query, documents, options);
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (list.Count == 0)
        {
            return Task.FromResult(new RerankResponse([]) { ModelId = Metadata.DefaultModelId });
        }

        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _backendCalls);
        OnCall?.Invoke(cancellationToken);
        var scores = new double[list.Count];
        for (int i = 0; i < scores.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            scores[i] = TestReranker.Score(query, list[i].Text);
        }

        return Task.FromResult(new RerankResponse(RerankContract.Rank(list, scores, options)) { ModelId = Metadata.DefaultModelId });
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(RerankerMetadata) ? Metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <inheritdoc />
    public void Dispose() => Interlocked.Exchange(ref _disposed, 1);
}
