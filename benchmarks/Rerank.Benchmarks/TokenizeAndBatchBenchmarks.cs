using BenchmarkDotNet.Attributes;
using Rerank.Onnx;
using Rerank.Onnx.Inference;
using Rerank.Onnx.Model;
using Rerank.Onnx.Tokenization;

namespace Rerank.Benchmarks;

/// <summary>
/// The CPU work the library adds around ONNX Runtime, on the benchmark workload (1 query × 50 passages, max_length 512),
/// with allocations: tokenising the pairs, and sorting them and laying out the padded batches in pooled buffers.
/// <c>dotnet run -c Release --project benchmarks/Rerank.Benchmarks -- --filter *TokenizeAndBatch*</c>
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class TokenizeAndBatchBenchmarks
{
    private const int MaxLength = 512;
    private const int BatchSize = 32;
    private const int HiddenSize = 384;
    private IPairTokenizer _tokenizer = null!;
    private PairEncoding[] _encodings = null!;
    private int[] _order = null!;
    private int[] _lengths = null!;
    private int[] _batchStarts = null!;
    private string[] _passages = null!;

    [GlobalSetup]
    public void Setup()
    {
        // The tiny BERT fixture has the real 30,522-entry vocabulary: its tokenizer is the benchmark model's.
        string directory = Path.Combine(BenchCommand.FindRepositoryRoot(), "tests", "Rerank.Onnx.Tests", "Fixtures", "tiny-bert-cross-encoder");
        _tokenizer = TokenizerSource.Load(ModelFiles.Resolve(new OnnxCrossEncoderOptions(directory)));
        _passages = [.. BenchPassages.Passages];
        _encodings = TokenizePairs();
        _order = new int[_encodings.Length];
        _lengths = new int[_encodings.Length];
        _batchStarts = new int[_encodings.Length + 1];
    }

    /// <summary>Tokenises the 50 (query, passage) pairs with longest_first truncation; returns the token count.</summary>
    [Benchmark]
    public int Tokenize() => TokenizePairs().Sum(e => e.Length);

    /// <summary>Sorts the pairs by length, plans the batches and lays out every batch's three int64 tensors in pooled buffers: should allocate nothing.</summary>
    [Benchmark]
    public long SortPlanAndAssembleBatches()
    {
        OnnxCrossEncoderReranker.SortByLength(_encodings, _order);
        for (int i = 0; i < _order.Length; i++)
        {
            _lengths[i] = _encodings[_order[i]].Length;
        }

        int batches = BatchPlanner.Plan(_lengths, BatchSize, HiddenSize, _batchStarts);
        long checksum = 0;
        for (int b = 0; b < batches; b++)
        {
            ReadOnlySpan<int> batch = _order.AsSpan(_batchStarts[b], _batchStarts[b + 1] - _batchStarts[b]);
            using PooledBatch<long> tensors = PooledBatch<long>.Rent(_encodings, batch, _tokenizer.PadTokenId, withTokenTypes: true);
            checksum += tensors.InputIds[tensors.Size - 1] + tensors.Size;
        }

        return checksum;
    }

    private PairEncoding[] TokenizePairs()
    {
        var encodings = new PairEncoding[_passages.Length];
        for (int i = 0; i < encodings.Length; i++)
        {
            encodings[i] = _tokenizer.EncodePair(BenchPassages.Query, _passages[i], MaxLength);
        }

        return encodings;
    }
}
