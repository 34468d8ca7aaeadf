using Rerank.Testing;

namespace Rerank.Tests.Middleware.Fallback;

/// <summary>The contract suite through a fallback layer whose primary answers.</summary>
[TestFixture]
public sealed class FallbackContractTests : RerankerContractTests
{
    private TestReranker? _primary;
    private TestReranker? _fallback;

    protected override long BackendCallCount => _primary!.BackendCalls + _fallback!.BackendCalls;

    protected override IReranker CreateReranker() =>
        new RerankerBuilder(_primary = new TestReranker()).UseFallback(_fallback = new TestReranker()).Build();
}
