using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Distributed;

namespace Rerank.Onnx.Tests.LateInteraction;

/// <summary>An in-memory <see cref="IDistributedCache"/> that counts reads and writes, and can be made to fail.</summary>
internal sealed class CountingDistributedCache : IDistributedCache
{
    private readonly ConcurrentDictionary<string, byte[]> _values = new(StringComparer.Ordinal);
    private int _gets;
    private int _sets;

    public bool Fail { get; set; }

    public int Gets => _gets;

    public int Sets => _sets;

    public IReadOnlyDictionary<string, byte[]> Values => _values;

    public byte[]? Get(string key) => GetAsync(key).GetAwaiter().GetResult();

    public Task<byte[]?> GetAsync(string key, CancellationToken token = default)
    {
        Interlocked.Increment(ref _gets);
        return Fail ? Task.FromException<byte[]?>(new InvalidOperationException("cache down")) : Task.FromResult(_values.TryGetValue(key, out byte[]? v) ? v : null);
    }

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => SetAsync(key, value, options).GetAwaiter().GetResult();

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        Interlocked.Increment(ref _sets);
        if (Fail)
        {
            return Task.FromException(new InvalidOperationException("cache down"));
        }

        _values[key] = value;
        return Task.CompletedTask;
    }

    public void Refresh(string key)
    {
    }

    public Task RefreshAsync(string key, CancellationToken token = default) => Task.CompletedTask;

    public void Remove(string key) => _values.TryRemove(key, out _);

    public Task RemoveAsync(string key, CancellationToken token = default)
    {
        Remove(key);
        return Task.CompletedTask;
    }
}
