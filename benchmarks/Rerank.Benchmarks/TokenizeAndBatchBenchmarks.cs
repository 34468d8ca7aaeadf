using BenchmarkDotNet.Attributes;
using Rerank.Onnx;
using Rerank.Onnx.Inference;
using Rerank.Onnx.Model;
using Rerank.Onnx.Tokenization;

namespace Rerank.Benchmarks;

/// <summary>
/// The CPU work the library adds around ONNX Runtime, on the benchmark workload (1 query × 50 passages, max_length 512),
/// with allocations: tokenising the pairs, and sorting them and laying out the padded batches in pooled buffers; and
/// one 1 MB document, tokenised whole (the reference path) and as the reranker does (only the start that can matter).
/// <c>dotnet run -c Release --project benchmarks/Rerank.Benchmarks -- --filter *TokenizeAndBatch* --job short</c>
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
    private string _megabyte = null!;

    [GlobalSetup]
    public void Setup()
    {
        // The tiny BERT fixture has the real 30,522-entry vocabulary: its tokenizer is the benchmark model's.
        string directory = Path.Combine(BenchCommand.FindRepositoryRoot(), "tests", "Rerank.Onnx.Tests", "Fixtures", "tiny-bert-cross-encoder");
        _tokenizer = TokenizerSource.Load(ModelFiles.Resolve(new OnnxCrossEncoderOptions(directory)));
        _passages = [.. BenchPassages.Passages];
        _megabyte = string.Join(' ', Enumerable.Repeat(string.Join(' ', _passages), 1_000_000 / string.Join(' ', _passages).Length + 1))[..1_000_000];
        _encodings = TokenizePairs();
        if (!_tokenizer.EncodePair(BenchPassages.Query, _megabyte, MaxLength).InputIds.SequenceEqual(_tokenizer.EncodePair(_tokenizer.EncodeQuery(BenchPassages.Query), _megabyte, MaxLength).InputIds))
        {
            throw new InvalidOperationException("The bounded tokenisation of the 1 MB document differs from the whole one.");
        }

        _order = new int[_encodings.Length];
        _lengths = new int[_encodings.Length];
        _batchStarts = new int[_encodings.Length + 1];
    }

    /// <summary>Tokenises the 50 (query, passage) pairs with longest_first truncation, the query again for every pair (as before the query was tokenised once per call); returns the token count.</summary>
    [Benchmark]
    public int Tokenize() => TokenizePairs().Sum(e => e.Length);

    /// <summary>Tokenises the 50 pairs as the reranker does: the query once, then each passage against its ids.</summary>
    [Benchmark]
    public int TokenizeWithTheQueryOnce()
    {
        EncodedQuery query = _tokenizer.EncodeQuery(BenchPassages.Query);
        int tokens = 0;
        foreach (string passage in _passages)
        {
            tokens += _tokenizer.EncodePair(query, passage, MaxLength).Length;
        }

        return tokens;
    }

    /// <summary>One (query, 1 MB document) pair, the document tokenised whole: the reference path, and the reranker's before the bound.</summary>
    [Benchmark]
    public int OneMegabyteDocumentWhole() => _tokenizer.EncodePair(BenchPassages.Query, _megabyte, MaxLength).Length;

    /// <summary>The same pair as the reranker encodes it now: only a start of the document that holds every token the pair can keep.</summary>
    [Benchmark]
    public int OneMegabyteDocumentBounded() => _tokenizer.EncodePair(_tokenizer.EncodeQuery(BenchPassages.Query), _megabyte, MaxLength).Length;

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
