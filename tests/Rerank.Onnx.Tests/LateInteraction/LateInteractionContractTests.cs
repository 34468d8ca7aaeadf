using Rerank.Testing;

namespace Rerank.Onnx.Tests.LateInteraction;

/// <summary>The contract suite against the late-interaction reranker on the tiny ColBERT fixture.</summary>
[TestFixture]
public sealed class LateInteractionContractTests : RerankerContractTests
{
    private OnnxLateInteractionReranker? _reranker;

    protected override long BackendCallCount => _reranker!.SessionRunCount;

    protected override double ScoreTolerance => 1e-5;

    protected override IReranker CreateReranker() =>
        _reranker = new OnnxLateInteractionReranker(new OnnxLateInteractionOptions(ColBertGolden.Directory) { BatchSize = 3, IntraOpNumThreads = 1 });
}
