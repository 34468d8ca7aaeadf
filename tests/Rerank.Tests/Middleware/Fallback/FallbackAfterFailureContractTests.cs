using Rerank.Testing;

namespace Rerank.Tests.Middleware.Fallback;

/// <summary>The contract suite through a fallback layer whose primary always fails, so the fallback answers every call.</summary>
[TestFixture]
public sealed class FallbackAfterFailureContractTests : RerankerContractTests
{
    private ProbeReranker? _primary;
    private TestReranker? _fallback;

    protected override long BackendCallCount => _primary!.BackendCalls + _fallback!.BackendCalls;

    protected override IReranker CreateReranker()
    {
        _primary = new ProbeReranker { OnCall = _ => throw new HttpRequestException("the primary is down") };
        return new RerankerBuilder(_primary).UseFallback(_fallback = new TestReranker()).Build();
    }
}
