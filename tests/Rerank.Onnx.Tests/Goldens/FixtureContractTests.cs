using Rerank.Testing;

namespace Rerank.Onnx.Tests.Goldens;

/// <summary>The contract suite against the full reranker on the tiny BERT fixture (real WordPiece tokenizer, token_type_ids).</summary>
[TestFixture]
public sealed class TinyBertContractTests : RerankerContractTests
{
    private OnnxCrossEncoderReranker? _reranker;

    protected override long BackendCallCount => _reranker!.SessionRunCount;

    protected override double ScoreTolerance => 1e-5;

    protected override IReranker CreateReranker() =>
        _reranker = new OnnxCrossEncoderReranker(new OnnxCrossEncoderOptions(GoldenFile.ModelDirectory("tiny-bert-cross-encoder")) { BatchSize = 4 });
}

/// <summary>The contract suite against the full reranker on the tiny XLM-R fixture (sentencepiece unigram, no token_type_ids, identity activation).</summary>
[TestFixture]
public sealed class TinyXlmrContractTests : RerankerContractTests
{
    private OnnxCrossEncoderReranker? _reranker;

    protected override long BackendCallCount => _reranker!.SessionRunCount;

    protected override double ScoreTolerance => 1e-5;

    protected override IReranker CreateReranker() =>
        _reranker = new OnnxCrossEncoderReranker(new OnnxCrossEncoderOptions(GoldenFile.ModelDirectory("tiny-xlmr-cross-encoder")) { BatchSize = 3 });
}
