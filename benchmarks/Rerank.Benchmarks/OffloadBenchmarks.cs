using BenchmarkDotNet.Attributes;
using Rerank.Onnx;

namespace Rerank.Benchmarks;

/// <summary>
/// What running the ONNX reranker off the caller's thread costs: the thread-pool hop alone (<c>await Task.Run</c>),
/// next to a whole call of the smallest model there is (the tiny BERT fixture, 1 query × 10 short passages), which
/// includes that hop. <c>dotnet run -c Release --project benchmarks/Rerank.Benchmarks -- --filter *Offload* --job short</c>
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class OffloadBenchmarks
{
    private OnnxCrossEncoderReranker _reranker = null!;
    private RerankDocument[] _documents = null!;

    [GlobalSetup]
    public void Setup()
    {
        string directory = Path.Combine(BenchCommand.FindRepositoryRoot(), "tests", "Rerank.Onnx.Tests", "Fixtures", "tiny-bert-cross-encoder");
        _reranker = new OnnxCrossEncoderReranker(new OnnxCrossEncoderOptions(directory) { IntraOpNumThreads = 1 });
        _documents = [.. BenchPassages.Passages.Take(10).Select(p => new RerankDocument(p))];
    }

    [GlobalCleanup]
    public void Cleanup() => _reranker.Dispose();

    /// <summary>The hop the reranker adds per call.</summary>
    [Benchmark]
    public async Task<int> ThreadPoolHop() => await Task.Run(static () => 1).ConfigureAwait(false);

    /// <summary>A whole call of the tiny fixture model, hop included.</summary>
    [Benchmark]
    public async Task<int> TinyModelTenPassages() => (await _reranker.RerankAsync(BenchPassages.Query, _documents).ConfigureAwait(false)).Results.Count;
}
