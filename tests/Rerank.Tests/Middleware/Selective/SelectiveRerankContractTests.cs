using Rerank.Testing;

namespace Rerank.Tests.Middleware.Selective;

/// <summary>The contract suite through a selective layer whose policies never skip (the contract's documents have no first-stage scores): the model answers.</summary>
[TestFixture]
public sealed class SelectiveRerankContractTests : RerankerContractTests
{
    private TestReranker? _inner;

    protected override long BackendCallCount => _inner!.BackendCalls;

    protected override IReranker CreateReranker() =>
        new RerankerBuilder(_inner = new TestReranker())
            .UseSelectiveReranking(SelectiveRerankingPolicy.TopScoreMargin(0.2), SelectiveRerankingPolicy.RerankWhenAmbiguous(5, 0.01))
            .Build();
}
