using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;

namespace Rerank;

/// <summary>
/// Where the embedding reranker keeps document embeddings, by content address: an <see cref="IMemoryCache"/> or an
/// <see cref="IDistributedCache"/>. A failing cache never fails reranking: a failed read is a miss, a failed write is
/// logged; only the caller's cancellation propagates.
/// </summary>
internal abstract partial class DocumentEmbeddingStore : IDisposable
{
    protected DocumentEmbeddingStore(ILogger logger)
    {
        Logger = logger;
    }

    protected ILogger Logger { get; }

    /// <summary>Creates the store over a memory cache.</summary>
    public static DocumentEmbeddingStore Memory(IMemoryCache cache, bool ownsCache, EmbeddingRerankerOptions options, ILogger logger) =>
        new MemoryStore(cache, ownsCache, options, logger);

    /// <summary>Creates the store over a distributed cache.</summary>
    public static DocumentEmbeddingStore Distributed(IDistributedCache cache, EmbeddingRerankerOptions options, ILogger logger) =>
        new DistributedStore(cache, options, logger);

    /// <summary>Looks up every key; sets <c>vectors[i]</c> for each hit.</summary>
    public abstract ValueTask ReadAsync(ScoreCacheKey[] keys, float[]?[] vectors, CancellationToken cancellationToken);

    /// <summary>Stores each (key, vector) pair.</summary>
    public abstract ValueTask WriteAsync(IReadOnlyList<(ScoreCacheKey Key, float[] Vector)> entries, CancellationToken cancellationToken);

    /// <inheritdoc />
    public virtual void Dispose()
    {
    }

    /// <summary>Starts a cache call, turning an exception thrown before its task exists into a faulted task, so one broken call is one miss.</summary>
    private static T Start<T>(Func<T> call, CancellationToken cancellationToken)
        where T : Task
    {
        try
        {
            return call();
        }
        catch (Exception ex) when (!IsCallerCancellation(ex, cancellationToken))
        {
            return (T)(Task)Task.FromException<byte[]?>(ex);
        }
    }

    private static bool IsCallerCancellation(Exception exception, CancellationToken cancellationToken) =>
        exception is OperationCanceledException && cancellationToken.IsCancellationRequested;

    [LoggerMessage(EventId = 31, Level = LogLevel.Warning, Message = "The document-embedding cache failed to read {Count} entries; those documents are embedded again.")]
    private static partial void LogReadFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(EventId = 32, Level = LogLevel.Warning, Message = "The document-embedding cache failed to store {Count} entries; they will be embedded again next time.")]
    private static partial void LogWriteFailed(ILogger logger, int count, Exception exception);

    private sealed class MemoryStore(IMemoryCache cache, bool ownsCache, EmbeddingRerankerOptions options, ILogger logger) : DocumentEmbeddingStore(logger)
    {
        // Size 1 per embedding, so that a cache with a SizeLimit counts embeddings; a shared cache without a limit ignores it.
        private readonly MemoryCacheEntryOptions _entryOptions = new()
        {
            Size = 1,
            AbsoluteExpirationRelativeToNow = options.Expiration,
            SlidingExpiration = options.SlidingExpiration,
        };

        public override ValueTask ReadAsync(ScoreCacheKey[] keys, float[]?[] vectors, CancellationToken cancellationToken)
        {
            for (int i = 0; i < keys.Length; i++)
            {
                if (cache.TryGetValue(keys[i], out object? value) && value is float[] vector)
                {
                    vectors[i] = vector;
                }
            }

            return ValueTask.CompletedTask;
        }

        public override ValueTask WriteAsync(IReadOnlyList<(ScoreCacheKey Key, float[] Vector)> entries, CancellationToken cancellationToken)
        {
            foreach ((ScoreCacheKey key, float[] vector) in entries)
            {
                cache.Set(key, vector, _entryOptions);
            }

            return ValueTask.CompletedTask;
        }

        public override void Dispose()
        {
            if (ownsCache)
            {
                cache.Dispose();
            }
        }
    }

    private sealed class DistributedStore(IDistributedCache cache, EmbeddingRerankerOptions options, ILogger logger) : DocumentEmbeddingStore(logger)
    {
        private readonly string _prefix = options.KeyPrefix;
        private readonly DistributedCacheEntryOptions _entryOptions = new()
        {
            AbsoluteExpirationRelativeToNow = options.Expiration,
            SlidingExpiration = options.SlidingExpiration,
        };

        public override async ValueTask ReadAsync(ScoreCacheKey[] keys, float[]?[] vectors, CancellationToken cancellationToken)
        {
            // All lookups at once: a client such as StackExchange.Redis pipelines them over one connection.
            var reads = new Task<byte[]?>[keys.Length];
            for (int i = 0; i < keys.Length; i++)
            {
                reads[i] = Start(() => cache.GetAsync(keys[i].ToString(_prefix), cancellationToken), cancellationToken);
            }

            try
            {
                await Task.WhenAll(reads).ConfigureAwait(false);
            }
            catch (Exception ex) when (!IsCallerCancellation(ex, cancellationToken))
            {
                LogReadFailed(Logger, reads.Count(r => !r.IsCompletedSuccessfully), ex);
            }

            cancellationToken.ThrowIfCancellationRequested();
            for (int i = 0; i < reads.Length; i++)
            {
                // float32 little-endian; an entry of another length is foreign or damaged, and a miss.
                if (reads[i].IsCompletedSuccessfully && reads[i].Result is { Length: > 0 } bytes && bytes.Length % sizeof(float) == 0)
                {
                    var vector = new float[bytes.Length / sizeof(float)];
                    for (int d = 0; d < vector.Length; d++)
                    {
                        vector[d] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(d * sizeof(float)));
                    }

                    vectors[i] = vector;
                }
            }
        }

        public override async ValueTask WriteAsync(IReadOnlyList<(ScoreCacheKey Key, float[] Vector)> entries, CancellationToken cancellationToken)
        {
            var writes = new Task[entries.Count];
            for (int i = 0; i < entries.Count; i++)
            {
                float[] vector = entries[i].Vector;
                byte[] bytes = new byte[vector.Length * sizeof(float)];
                if (BitConverter.IsLittleEndian)
                {
                    MemoryMarshal.AsBytes(vector.AsSpan()).CopyTo(bytes);
                }
                else
                {
                    for (int d = 0; d < vector.Length; d++)
                    {
                        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(d * sizeof(float)), vector[d]);
                    }
                }

                string key = entries[i].Key.ToString(_prefix);
                writes[i] = Start(() => cache.SetAsync(key, bytes, _entryOptions, cancellationToken), cancellationToken);
            }

            try
            {
                await Task.WhenAll(writes).ConfigureAwait(false);
            }
            catch (Exception ex) when (!IsCallerCancellation(ex, cancellationToken))
            {
                LogWriteFailed(Logger, writes.Count(w => !w.IsCompletedSuccessfully), ex);
            }
        }
    }
}
