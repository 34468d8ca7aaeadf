using Rerank.Testing;

namespace Rerank.Tests.Middleware.Synchronous;

/// <summary>The contract suite against the synchronous test reranker itself.</summary>
[TestFixture]
public sealed class SynchronousTestRerankerContractTests : RerankerContractTests
{
    private SynchronousTestReranker? _reranker;

    protected override long BackendCallCount => _reranker!.BackendCalls;

    protected override IReranker CreateReranker() => _reranker = new SynchronousTestReranker();
}
