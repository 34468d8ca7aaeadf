using BenchmarkDotNet.Attributes;

namespace Rerank.Benchmarks.Hybrid;

/// <summary>The fusion cost of the hybrid reranker with model-free signals (first stage, BM25, recency, a custom value).</summary>
[MemoryDiagnoser]
public class HybridRerankerBenchmarks
{
    private HybridReranker _weightedSum = null!;
    private HybridReranker _rrf = null!;
    private RerankDocument[] _documents = null!;

    /// <summary>Gets or sets the number of candidates.</summary>
    [Params(100, 1000)]
    public int Candidates { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _documents = LexicalCandidates.Create(Candidates);
        _weightedSum = Configure(new HybridRerankerBuilder()).Build();
        _rrf = Configure(new HybridRerankerBuilder()).UseReciprocalRankFusion().Build();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _weightedSum.Dispose();
        _rrf.Dispose();
    }

    [Benchmark(Baseline = true)]
    public Task<RerankResponse> WeightedSum() => _weightedSum.RerankAsync(LexicalCandidates.Query, _documents, new RerankOptions { TopN = 10 });

    [Benchmark]
    public Task<RerankResponse> ReciprocalRankFusion() => _rrf.RerankAsync(LexicalCandidates.Query, _documents, new RerankOptions { TopN = 10 });

    private static HybridRerankerBuilder Configure(HybridRerankerBuilder builder) =>
        builder
            .AddFirstStageScore(0.3)
            .AddBm25(0.4)
            .AddRecency(TimeSpan.FromDays(30), 0.2)
            .AddSignal("length", (_, document) => document.Text.Length, 0.1, ScoreNormalization.Rank);
}
