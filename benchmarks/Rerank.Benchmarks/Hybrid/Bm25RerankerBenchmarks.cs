using BenchmarkDotNet.Attributes;

namespace Rerank.Benchmarks.Hybrid;

/// <summary>BM25 over the candidate set: the model-free reranker and last fallback.</summary>
[MemoryDiagnoser]
public class Bm25RerankerBenchmarks
{
    private Bm25Reranker _bm25 = null!;
    private Bm25Reranker _english = null!;
    private RerankDocument[] _documents = null!;

    /// <summary>Gets or sets the number of candidates.</summary>
    [Params(100, 1000)]
    public int Candidates { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _bm25 = new Bm25Reranker();
        _english = new Bm25Reranker(new Bm25Options { Analyzer = TextAnalyzer.English });
        _documents = LexicalCandidates.Create(Candidates);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _bm25.Dispose();
        _english.Dispose();
    }

    [Benchmark(Baseline = true)]
    public Task<RerankResponse> Bm25() => _bm25.RerankAsync(LexicalCandidates.Query, _documents);

    [Benchmark]
    public Task<RerankResponse> Bm25WithEnglishStopWords() => _english.RerankAsync(LexicalCandidates.Query, _documents);
}
