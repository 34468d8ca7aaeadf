using Microsoft.Extensions.Time.Testing;
using Rerank.Testing;

namespace Rerank.Tests.Middleware.Timeout;

/// <summary>The contract suite through a timeout layer whose fake clock never moves, so it never fires.</summary>
[TestFixture]
public sealed class TimeoutContractTests : RerankerContractTests
{
    private TestReranker? _inner;

    protected override long BackendCallCount => _inner!.BackendCalls;

    protected override IReranker CreateReranker() =>
        new RerankerBuilder(_inner = new TestReranker()).UseTimeout(TimeSpan.FromSeconds(1), new FakeTimeProvider()).Build();
}
