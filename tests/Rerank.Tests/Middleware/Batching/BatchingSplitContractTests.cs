using Rerank.Testing;

namespace Rerank.Tests.Middleware.Batching;

/// <summary>The contract suite through a batching layer that splits every request into batches of three, two at a time.</summary>
[TestFixture]
public sealed class BatchingSplitContractTests : RerankerContractTests
{
    private TestReranker? _inner;

    protected override long BackendCallCount => _inner!.BackendCalls;

    protected override IReranker CreateReranker() =>
        new RerankerBuilder(_inner = new TestReranker()).UseBatching(3, o =>
        {
            o.MaxConcurrency = 2;
            o.CoalescingWindow = TimeSpan.Zero;
        }).Build();
}
