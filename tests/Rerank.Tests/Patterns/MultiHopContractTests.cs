using Rerank.Testing;

namespace Rerank.Tests.Patterns;

/// <summary>The contract suite through two-hop reranking whose follow-up a scripted chat client writes from the best passage.</summary>
[TestFixture]
public sealed class MultiHopContractTests : RerankerContractTests
{
    private TestReranker? _inner;

    protected override long BackendCallCount => _inner!.BackendCalls;

    protected override IReranker CreateReranker() =>
        new RerankerBuilder(_inner = new TestReranker()).UseMultiHop(FollowUpChatClient.Create()).Build();
}
