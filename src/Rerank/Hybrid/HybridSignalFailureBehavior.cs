namespace Rerank;

/// <summary>What a <see cref="HybridReranker"/> does when a signal throws or times out.</summary>
/// <remarks>A caller's cancellation is never a signal failure: it always cancels the whole call.</remarks>
public enum HybridSignalFailureBehavior
{
    /// <summary>The call fails with a <see cref="HybridSignalException"/> naming the signal, and the other signals are cancelled. The default.</summary>
    Throw = 0,

    /// <summary>
    /// The signal is left out of this call and the weights of the remaining signals are scaled up so that they sum to
    /// the same total as before. The dropped signal is reported under <see cref="RerankResponseProperties.HybridDroppedSignals"/>.
    /// </summary>
    DropSignal = 1,
}
