using Rerank.Testing;

namespace Rerank.Tests.Middleware.Deduplication;

/// <summary>The contract suite through the deduplication layer (the suite's documents contain exact duplicates).</summary>
[TestFixture]
public sealed class DeduplicationContractTests : RerankerContractTests
{
    private TestReranker? _inner;

    protected override long BackendCallCount => _inner!.BackendCalls;

    protected override IReranker CreateReranker() => new RerankerBuilder(_inner = new TestReranker()).UseDeduplication().Build();
}
