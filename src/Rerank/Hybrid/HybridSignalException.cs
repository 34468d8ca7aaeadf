namespace Rerank;

/// <summary>A signal of a <see cref="HybridReranker"/> failed or did not answer within its timeout.</summary>
public sealed class HybridSignalException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="HybridSignalException"/> class.</summary>
    public HybridSignalException()
        : this("A hybrid signal failed.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="HybridSignalException"/> class with a message.</summary>
    /// <param name="message">The message.</param>
    public HybridSignalException(string message)
        : base(message)
    {
        SignalName = string.Empty;
    }

    /// <summary>Initializes a new instance of the <see cref="HybridSignalException"/> class with a message and the original error.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The signal's own exception.</param>
    public HybridSignalException(string message, Exception? innerException)
        : base(message, innerException)
    {
        SignalName = string.Empty;
    }

    /// <summary>Initializes a new instance of the <see cref="HybridSignalException"/> class for a named signal.</summary>
    /// <param name="signalName">The signal's name.</param>
    /// <param name="timedOut">Whether the signal ran out of time.</param>
    /// <param name="innerException">The signal's own exception, or a <see cref="TimeoutException"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="signalName"/> or <paramref name="innerException"/> is <see langword="null"/>.</exception>
    public HybridSignalException(string signalName, bool timedOut, Exception innerException)
        : base(CreateMessage(signalName, timedOut, innerException), innerException)
    {
        SignalName = signalName;
        TimedOut = timedOut;
    }

    /// <summary>Gets the name of the signal that failed, as in <see cref="RerankScoreComponent.Name"/>.</summary>
    public string SignalName { get; }

    /// <summary>Gets a value indicating whether the signal ran out of time rather than throwing.</summary>
    public bool TimedOut { get; }

    private static string CreateMessage(string signalName, bool timedOut, Exception innerException)
    {
        ArgumentNullException.ThrowIfNull(signalName);
        ArgumentNullException.ThrowIfNull(innerException);
        return timedOut
            ? $"The hybrid signal '{signalName}' did not answer within its timeout."
            : $"The hybrid signal '{signalName}' failed: {innerException.Message}";
    }
}
