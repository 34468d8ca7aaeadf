using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Rerank.Benchmarks.Middleware;

/// <summary>
/// The score cache's hit path: 50 documents, every score already cached, TopN 10. Includes hashing the 50 keys (SHA-256
/// over ~400-character texts), the lookups and the ranking. Target: under 50 µs median.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class MiddlewareCacheHitBenchmarks
{
    private static readonly RerankOptions Options = new() { TopN = 10 };

    private IReranker _reranker = null!;
    private ServiceProvider? _services;
    private RerankDocument[] _documents = null!;

    /// <summary>Gets or sets the cache backend.</summary>
    [Params("memory", "hybrid", "distributed-in-memory")]
    public string Backend { get; set; } = "memory";

    [GlobalSetup]
    public void Setup()
    {
        _documents = MiddlewareCandidates.Create();
        var builder = new RerankerBuilder(new InstantReranker());
        switch (Backend)
        {
            case "memory":
                builder.UseMemoryCache(new MemoryCache(new MemoryCacheOptions()));
                break;
            case "hybrid":
                var services = new ServiceCollection();
                services.AddHybridCache();
                _services = services.BuildServiceProvider();
                builder.UseHybridCache(_services.GetRequiredService<HybridCache>());
                break;
            default:
                builder.UseDistributedCache(new MemoryDistributedCache(Microsoft.Extensions.Options.Options.Create(new MemoryDistributedCacheOptions())));
                break;
        }

        _reranker = builder.Build();
        RerankResponse warm = _reranker.RerankAsync(MiddlewareCandidates.Query, _documents, Options).GetAwaiter().GetResult();
        RerankResponse hit = _reranker.RerankAsync(MiddlewareCandidates.Query, _documents, Options).GetAwaiter().GetResult();
        if ((int)hit.AdditionalProperties![RerankResponseProperties.CacheHits]! != _documents.Length || warm.Results.Count != 10)
        {
            throw new InvalidOperationException("the cache is not warm; the benchmark would not measure hits");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _reranker.Dispose();
        _services?.Dispose();
    }

    /// <summary>50 cached documents: keys, lookups, ranking.</summary>
    [Benchmark]
    public Task<RerankResponse> CacheHit50() => _reranker.RerankAsync(MiddlewareCandidates.Query, _documents, Options);
}
