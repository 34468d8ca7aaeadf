using Rerank.Testing;

namespace Rerank.Tests.Middleware.Synchronous;

/// <summary>The contract suite through each middleware over a reranker that works, and throws, on the caller's thread.</summary>
[TestFixtureSource(typeof(MiddlewareLayers), nameof(MiddlewareLayers.Names))]
public sealed class SynchronousInnerContractTests(string layer) : RerankerContractTests
{
    private SynchronousTestReranker? _inner;

    protected override long BackendCallCount => _inner!.BackendCalls;

    protected override IReranker CreateReranker() => MiddlewareLayers.Wrap(layer, _inner = new SynchronousTestReranker());
}
