using Rerank.Testing;

namespace Rerank.Onnx.Tests.Goldens;

/// <summary>The contract suite against the real ONNX reranker (tiny BERT fixture) inside each middleware of the Rerank package.</summary>
[TestFixtureSource(typeof(MiddlewareLayers), nameof(MiddlewareLayers.Names))]
public sealed class OnnxInsideMiddlewareContractTests(string layer) : RerankerContractTests
{
    private OnnxCrossEncoderReranker? _reranker;

    protected override long BackendCallCount => _reranker!.SessionRunCount;

    protected override double ScoreTolerance => 1e-5;

    protected override IReranker CreateReranker() =>
        MiddlewareLayers.Wrap(layer, _reranker = new OnnxCrossEncoderReranker(new OnnxCrossEncoderOptions(GoldenFile.ModelDirectory("tiny-bert-cross-encoder")) { BatchSize = 4 }));
}
