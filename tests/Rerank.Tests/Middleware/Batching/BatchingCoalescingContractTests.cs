using Rerank.Testing;

namespace Rerank.Tests.Middleware.Batching;

/// <summary>
/// The contract suite through a batching layer that coalesces: the suite's requests are smaller than the batch size, so
/// concurrent ones with the same query share inner calls (64 concurrent callers with two queries among them).
/// </summary>
[TestFixture]
public sealed class BatchingCoalescingContractTests : RerankerContractTests
{
    private TestReranker? _inner;

    protected override long BackendCallCount => _inner!.BackendCalls;

    // The real clock with a 1 ms window: the contract suite needs the window to close on its own.
    protected override IReranker CreateReranker() =>
        new RerankerBuilder(_inner = new TestReranker()).UseBatching(64, o => o.CoalescingWindow = TimeSpan.FromMilliseconds(1)).Build();
}
