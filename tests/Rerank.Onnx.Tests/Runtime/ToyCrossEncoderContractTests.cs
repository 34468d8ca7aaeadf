using Rerank.Testing;

namespace Rerank.Onnx.Tests.Runtime;

/// <summary>The contract suite against the ONNX runtime on the toy BERT-shaped graph, with a small batch size so that calls span several batches.</summary>
[TestFixture]
public sealed class ToyCrossEncoderContractTests : RerankerContractTests
{
    private OnnxCrossEncoderReranker? _reranker;

    protected override long BackendCallCount => _reranker!.SessionRunCount;

    protected override double ScoreTolerance => 1e-5;

    protected override IReranker CreateReranker() => _reranker = ToyModels.Create(ToyModels.Bert, o => o.BatchSize = 4);
}
