using Rerank.Testing;

namespace Rerank.Tests.Contract;

/// <summary>The contract suite against the deterministic test reranker.</summary>
[TestFixture]
public sealed class TestRerankerContractTests : RerankerContractTests
{
    private TestReranker? _inner;

    protected override long BackendCallCount => _inner!.BackendCalls;

    protected override IReranker CreateReranker() => _inner = new TestReranker();
}
