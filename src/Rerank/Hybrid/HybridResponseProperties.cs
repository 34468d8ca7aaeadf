namespace Rerank;

/// <summary>Keys under which <see cref="HybridReranker"/> reports facts in <see cref="RerankResponse.AdditionalProperties"/>.</summary>
public static class HybridResponseProperties
{
    /// <summary>
    /// The signals left out of the call under <see cref="HybridSignalFailureBehavior.DropSignal"/>: an
    /// <c>IReadOnlyList&lt;HybridSignalException&gt;</c>, each naming the signal, saying whether it timed out and
    /// holding the original error. Absent when no signal was dropped.
    /// </summary>
    public const string DroppedSignals = "hybrid.droppedSignals";
}
