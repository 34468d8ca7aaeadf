using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Rerank.Tests.Middleware.Caching;

/// <summary>An in-memory <see cref="IDistributedCache"/> that records what is written to it, or fails every operation when told to.</summary>
public sealed class RecordingDistributedCache : IDistributedCache
{
    private readonly MemoryDistributedCache _inner = new(Options.Create(new MemoryDistributedCacheOptions()));

    public ConcurrentDictionary<string, (byte[] Value, DistributedCacheEntryOptions Options)> Writes { get; } = new();

    public Exception? Failure { get; set; }

    public int Reads;

    /// <summary>Gets or sets code run at the start of every read.</summary>
    public Action? OnRead { get; set; }

    public byte[]? Get(string key) => throw new NotSupportedException("the caching layer must use the async API");

    public Task<byte[]?> GetAsync(string key, CancellationToken token = default)
    {
        Interlocked.Increment(ref Reads);
        OnRead?.Invoke();
        return Failure is null ? _inner.GetAsync(key, token) : Task.FromException<byte[]?>(Failure);
    }

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => throw new NotSupportedException("the caching layer must use the async API");

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        if (Failure is not null)
        {
            return Task.FromException(Failure);
        }

        Writes[key] = (value, options);
        return _inner.SetAsync(key, value, options, token);
    }

    public void Refresh(string key) => _inner.Refresh(key);

    public Task RefreshAsync(string key, CancellationToken token = default) => _inner.RefreshAsync(key, token);

    public void Remove(string key) => _inner.Remove(key);

    public Task RemoveAsync(string key, CancellationToken token = default) => _inner.RemoveAsync(key, token);
}
