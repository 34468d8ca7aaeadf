using Rerank.Testing;

namespace Rerank.Onnx.Tests.LateInteraction;

/// <summary>The contract suite against the late-interaction reranker (tiny ColBERT fixture) inside each middleware of the Rerank package.</summary>
[TestFixtureSource(typeof(MiddlewareLayers), nameof(MiddlewareLayers.Names))]
public sealed class LateInteractionInsideMiddlewareContractTests(string layer) : RerankerContractTests
{
    private OnnxLateInteractionReranker? _reranker;

    protected override long BackendCallCount => _reranker!.SessionRunCount;

    protected override double ScoreTolerance => 1e-5;

    protected override IReranker CreateReranker() =>
        MiddlewareLayers.Wrap(layer, _reranker = new OnnxLateInteractionReranker(new OnnxLateInteractionOptions(ColBertGolden.Directory) { BatchSize = 3, IntraOpNumThreads = 1 }));
}
