using Rerank.Testing;

namespace Rerank.Tests.Middleware.Selective;

/// <summary>The contract suite through a selective layer that skips the model on every call it may: answers come from the first stage.</summary>
[TestFixture]
public sealed class SelectiveSkipContractTests : RerankerContractTests
{
    private TestReranker? _inner;

    protected override long BackendCallCount => _inner!.BackendCalls;

    // A function of the text alone, so identical texts tie and input order does not change a document's score.
    protected override double? FirstStageScore(string text) => TestReranker.Score("sunlight energy plants leaves", text);

    protected override IReranker CreateReranker() =>
        new RerankerBuilder(_inner = new TestReranker())
            .UseSelectiveReranking(SelectiveRerankingPolicy.Custom("always", _ => SelectiveRerankingVerdict.Skip))
            .Build();
}
