using Microsoft.Extensions.Logging;

namespace Rerank;

/// <summary>Where the caching layer keeps scores: an <c>IMemoryCache</c>, an <c>IDistributedCache</c> or a <c>HybridCache</c>.</summary>
/// <remarks>
/// A cache that fails (a Redis outage) must not fail reranking: implementations log the failure, treat a failed read
/// as a miss and a failed write as not cached. Only the caller's cancellation propagates.
/// </remarks>
internal abstract partial class ScoreStore : IDisposable
{
    protected ScoreStore(ILogger logger)
    {
        Logger = logger;
    }

    protected ILogger Logger { get; }

    /// <summary>Looks up every key; sets <c>found[i]</c> and <c>scores[i]</c> for each hit.</summary>
    public abstract ValueTask ReadAsync(ScoreCacheKey[] keys, double[] scores, bool[] found, CancellationToken cancellationToken);

    /// <summary>Stores <c>scores[i]</c> under <c>keys[i]</c> for the first <paramref name="count"/> entries.</summary>
    public abstract ValueTask WriteAsync(ScoreCacheKey[] keys, double[] scores, int count, CancellationToken cancellationToken);

    /// <inheritdoc />
    public virtual void Dispose()
    {
    }

    /// <summary>Encodes a score as the 8 bytes stored in a byte-valued cache.</summary>
    protected static byte[] Encode(double score)
    {
        byte[] bytes = new byte[sizeof(double)];
        System.Buffers.Binary.BinaryPrimitives.WriteDoubleLittleEndian(bytes, score);
        return bytes;
    }

    /// <summary>Decodes a stored score; anything but 8 bytes (a foreign or damaged entry) is a miss.</summary>
    protected static bool TryDecode(byte[]? bytes, out double score)
    {
        if (bytes is { Length: sizeof(double) })
        {
            score = System.Buffers.Binary.BinaryPrimitives.ReadDoubleLittleEndian(bytes);
            return true;
        }

        score = 0;
        return false;
    }

    /// <summary>Whether an exception from the cache is the caller's cancellation, which must propagate.</summary>
    protected static bool IsCallerCancellation(Exception exception, CancellationToken cancellationToken) =>
        exception is OperationCanceledException && cancellationToken.IsCancellationRequested;

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "The score cache ({Backend}) failed to read {Count} entries; they are scored again.")]
    protected static partial void LogReadFailed(ILogger logger, string backend, int count, Exception exception);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "The score cache ({Backend}) failed to store {Count} entries; they will be scored again next time.")]
    protected static partial void LogWriteFailed(ILogger logger, string backend, int count, Exception exception);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "The score cache ({Backend}) did not answer {Count} reads within the read timeout ({TimeoutMilliseconds} ms); they are scored again.")]
    protected static partial void LogReadTimedOut(ILogger logger, string backend, int count, double timeoutMilliseconds);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "The score cache ({Backend}) did not store {Count} entries within the write timeout ({TimeoutMilliseconds} ms); they will be scored again next time.")]
    protected static partial void LogWriteTimedOut(ILogger logger, string backend, int count, double timeoutMilliseconds);
}
