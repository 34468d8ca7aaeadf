using Rerank.Testing;

namespace Rerank.Tests.Middleware.Caching;

/// <summary>The contract suite against the score cache, over each in-process backend.</summary>
[TestFixture(CacheBackend.OwnMemory)]
[TestFixture(CacheBackend.Memory)]
[TestFixture(CacheBackend.Distributed)]
[TestFixture(CacheBackend.Hybrid)]
public sealed class CachingContractTests(CacheBackend backend) : RerankerContractTests
{
    private TestReranker? _inner;

    protected override long BackendCallCount => _inner!.BackendCalls;

    protected override IReranker CreateReranker() => new RerankerBuilder(_inner = new TestReranker()).UseCache(backend).Build();
}
