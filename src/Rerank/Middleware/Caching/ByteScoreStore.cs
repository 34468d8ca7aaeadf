using Microsoft.Extensions.Logging;

namespace Rerank;

/// <summary>A store whose backend keeps byte values under string keys; the score is 8 bytes under a prefixed, hashed key.</summary>
/// <remarks>
/// A remote backend is the one that can be slow or hang, so every call's requests are bounded: at most
/// <see cref="CachingRerankerOptions.MaxConcurrentRequests"/> in flight, and a deadline after which what is unread
/// counts as missing (scored by the inner reranker) and what is unwritten is dropped.
/// </remarks>
internal abstract class ByteScoreStore : ScoreStore
{
    private readonly string _keyPrefix;
    private readonly string _backend;
    private readonly int _maxConcurrentRequests;
    private readonly TimeSpan? _readTimeout;
    private readonly TimeSpan? _writeTimeout;
    private readonly TimeProvider _timeProvider;

    protected ByteScoreStore(CachingRerankerOptions options, string backend, ILogger logger)
        : base(logger)
    {
        _keyPrefix = options.KeyPrefix;
        _backend = backend;
        _maxConcurrentRequests = options.MaxConcurrentRequests;
        _readTimeout = options.ReadTimeout == Timeout.InfiniteTimeSpan ? null : options.ReadTimeout;
        _writeTimeout = options.WriteTimeout == Timeout.InfiniteTimeSpan ? null : options.WriteTimeout;
        _timeProvider = options.TimeProvider ?? TimeProvider.System;
    }

    /// <summary>Reads the value under <paramref name="key"/>, or <see langword="null"/>.</summary>
    protected abstract Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>Stores <paramref name="value"/> under <paramref name="key"/>.</summary>
    protected abstract Task SetAsync(string key, byte[] value, CancellationToken cancellationToken);

    public override async ValueTask ReadAsync(ScoreCacheKey[] keys, double[] scores, bool[] found, CancellationToken cancellationToken)
    {
        var values = new byte[]?[keys.Length];
        Outcome outcome = await RunBoundedAsync(
            keys.Length,
            async (i, ct) => values[i] = await GetAsync(keys[i].ToString(_keyPrefix), ct).WaitAsync(ct).ConfigureAwait(false),
            _readTimeout,
            cancellationToken).ConfigureAwait(false);
        Report(outcome, read: true);

        for (int i = 0; i < keys.Length; i++)
        {
            if (outcome.Completed[i] && TryDecode(values[i], out double score))
            {
                scores[i] = score;
                found[i] = true;
            }
        }
    }

    public override async ValueTask WriteAsync(ScoreCacheKey[] keys, double[] scores, int count, CancellationToken cancellationToken)
    {
        Outcome outcome = await RunBoundedAsync(
            count,
            (i, ct) => SetAsync(keys[i].ToString(_keyPrefix), Encode(scores[i]), ct).WaitAsync(ct),
            _writeTimeout,
            cancellationToken).ConfigureAwait(false);
        Report(outcome, read: false);
    }

    /// <summary>Logs what failed and what ran out of time; one warning each per call, never the keys.</summary>
    private void Report(Outcome outcome, bool read)
    {
        if (outcome.Failed > 0)
        {
            (read ? (Action<ILogger, string, int, Exception>)LogReadFailed : LogWriteFailed)(Logger, _backend, outcome.Failed, outcome.FirstFailure!);
        }

        if (outcome.TimedOut > 0)
        {
            double milliseconds = (read ? _readTimeout : _writeTimeout)!.Value.TotalMilliseconds;
            (read ? (Action<ILogger, string, int, double>)LogReadTimedOut : LogWriteTimedOut)(Logger, _backend, outcome.TimedOut, milliseconds);
        }
    }

    /// <summary>
    /// Runs <paramref name="count"/> requests, at most <see cref="_maxConcurrentRequests"/> at a time, until they are done
    /// or <paramref name="timeout"/> passes. Failures are counted, never thrown; only the caller's cancellation propagates.
    /// </summary>
    private async Task<Outcome> RunBoundedAsync(int count, Func<int, CancellationToken, Task> request, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var outcome = new Outcome(new bool[count]);
        if (count == 0)
        {
            return outcome;
        }

        using CancellationTokenSource? deadline = timeout is TimeSpan t ? new CancellationTokenSource(t, _timeProvider) : null;
        using CancellationTokenSource? linked = deadline is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        CancellationToken token = linked?.Token ?? cancellationToken;
        int next = -1;
        object gate = new();

        async Task WorkAsync()
        {
            // Requests are taken in order by a fixed number of workers: the bound needs no semaphore, and no task per key waits.
            for (int i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                if (token.IsCancellationRequested)
                {
                    break;
                }

                try
                {
                    await request(i, token).ConfigureAwait(false);
                    outcome.Completed[i] = true;
                }
                catch (Exception ex) when (!IsCallerCancellation(ex, cancellationToken))
                {
                    if (deadline?.IsCancellationRequested == true && ex is OperationCanceledException)
                    {
                        break;
                    }

                    lock (gate)
                    {
                        outcome.Failed++;
                        outcome.FirstFailure ??= ex;
                    }
                }
            }
        }

        Task[] workers = new Task[Math.Min(count, _maxConcurrentRequests)];
        for (int w = 0; w < workers.Length; w++)
        {
            workers[w] = WorkAsync();
        }

        await Task.WhenAll(workers).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        if (deadline?.IsCancellationRequested == true)
        {
            outcome.TimedOut = outcome.Completed.Count(c => !c) - outcome.Failed;
        }

        return outcome;
    }

    /// <summary>What became of one call's requests.</summary>
    private sealed class Outcome(bool[] completed)
    {
        public bool[] Completed { get; } = completed;

        public int Failed { get; set; }

        public int TimedOut { get; set; }

        public Exception? FirstFailure { get; set; }
    }
}
