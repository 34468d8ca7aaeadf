using System.Collections.Concurrent;
using Rerank.Testing;

namespace Rerank.Tests.Middleware;

/// <summary>One call that reached a <see cref="ProbeReranker"/>.</summary>
public sealed record ProbeCall(string Query, IReadOnlyList<RerankDocument> Documents, RerankOptions? Options, CancellationToken CancellationToken);

/// <summary>
/// The inner reranker of middleware tests: scores pairs like <see cref="TestReranker"/> (so results can be compared with
/// it), records every call that reaches it, and runs <see cref="OnCall"/> inside each call to hold it at a gate, slow it
/// down on a fake clock, or make it fail.
/// </summary>
public sealed class ProbeReranker(string providerName = "probe", string? modelId = "probe-model") : IReranker
{
    private readonly ConcurrentQueue<ProbeCall> _calls = new();
    private int _disposed;

    /// <summary>Gets or sets code run inside every call after it is recorded: await a gate, throw, or return.</summary>
    public Func<ProbeCall, Task>? OnCall { get; set; }

    /// <summary>Gets or sets how a (query, text) pair is scored; <see cref="TestReranker.Score"/> by default.</summary>
    public Func<string, string, double>? Scorer { get; set; }

    /// <summary>Gets or sets the semantics its metadata declares; pointwise by default, which its scores are.</summary>
    public RerankScoreSemantics ScoreSemantics { get; set; } = RerankScoreSemantics.Pointwise;

    /// <summary>Gets or sets the fingerprint its metadata declares; <see langword="null"/> to declare none.</summary>
    public string? ScoringFingerprint { get; set; } = $"probe({providerName}/{modelId})";

    /// <summary>Gets the calls so far, in arrival order.</summary>
    public IReadOnlyList<ProbeCall> Calls => [.. _calls];

    /// <summary>Gets the number of calls that reached the backend.</summary>
    public long BackendCalls => _calls.Count;

    /// <summary>Gets whether it was disposed.</summary>
    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    public async Task<RerankResponse> RerankAsync(string query, IEnumerable<RerankDocument> documents, RerankOptions? options = null, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<RerankDocument> list = RerankContract.ValidateArguments(query, documents, options);
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (list.Count == 0)
        {
            return new RerankResponse([]) { ModelId = options?.ModelId ?? modelId };
        }

        cancellationToken.ThrowIfCancellationRequested();
        var call = new ProbeCall(query, list, options, cancellationToken);
        _calls.Enqueue(call);
        if (OnCall is { } onCall)
        {
            await onCall(call).ConfigureAwait(false);
        }
        else
        {
            await Task.Yield();
        }

        cancellationToken.ThrowIfCancellationRequested();
        Func<string, string, double> scorer = Scorer ?? TestReranker.Score;
        double[] scores = list.Select(d => scorer(query, d.Text)).ToArray();
        return new RerankResponse(RerankContract.Rank(list, scores, options))
        {
            ModelId = options?.ModelId ?? modelId,
            Usage = new RerankUsage { InputTokenCount = list.Count },
        };
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(RerankerMetadata) ? new RerankerMetadata(providerName, null, modelId) { ScoreSemantics = ScoreSemantics, ScoringFingerprint = ScoringFingerprint }
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    public void Dispose() => Interlocked.Exchange(ref _disposed, 1);

    /// <summary>The scores the probe gives, for expected values.</summary>
    public static double Score(string query, string text) => TestReranker.Score(query, text);
}
