using Microsoft.Extensions.Logging;

namespace Rerank;

/// <summary>A store whose backend keeps byte values under string keys; the score is 8 bytes under a prefixed, hashed key.</summary>
internal abstract class ByteScoreStore : ScoreStore
{
    private readonly string _keyPrefix;
    private readonly string _backend;

    protected ByteScoreStore(string keyPrefix, string backend, ILogger logger)
        : base(logger)
    {
        _keyPrefix = keyPrefix;
        _backend = backend;
    }

    /// <summary>Reads the value under <paramref name="key"/>, or <see langword="null"/>.</summary>
    protected abstract Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>Stores <paramref name="value"/> under <paramref name="key"/>.</summary>
    protected abstract Task SetAsync(string key, byte[] value, CancellationToken cancellationToken);

    public override async ValueTask ReadAsync(ScoreCacheKey[] keys, double[] scores, bool[] found, CancellationToken cancellationToken)
    {
        // All lookups at once: a client such as StackExchange.Redis pipelines them over one connection.
        var reads = new Task<byte[]?>[keys.Length];
        for (int i = 0; i < keys.Length; i++)
        {
            reads[i] = GetAsync(keys[i].ToString(_keyPrefix), cancellationToken);
        }

        try
        {
            await Task.WhenAll(reads).ConfigureAwait(false);
        }
        catch (Exception ex) when (!IsCallerCancellation(ex, cancellationToken))
        {
            LogReadFailed(Logger, _backend, reads.Count(r => !r.IsCompletedSuccessfully), ex);
        }

        cancellationToken.ThrowIfCancellationRequested();
        for (int i = 0; i < reads.Length; i++)
        {
            if (reads[i].IsCompletedSuccessfully && TryDecode(reads[i].Result, out double score))
            {
                scores[i] = score;
                found[i] = true;
            }
        }
    }

    public override async ValueTask WriteAsync(ScoreCacheKey[] keys, double[] scores, int count, CancellationToken cancellationToken)
    {
        var writes = new Task[count];
        for (int i = 0; i < count; i++)
        {
            writes[i] = SetAsync(keys[i].ToString(_keyPrefix), Encode(scores[i]), cancellationToken);
        }

        try
        {
            await Task.WhenAll(writes).ConfigureAwait(false);
        }
        catch (Exception ex) when (!IsCallerCancellation(ex, cancellationToken))
        {
            LogWriteFailed(Logger, _backend, writes.Count(w => !w.IsCompletedSuccessfully), ex);
        }
    }
}
