using Rerank.Testing;

namespace Rerank.Tests.Hybrid;

/// <summary>
/// The contract suite against a weighted-sum hybrid of BM25, an inner reranker and the (absent) first-stage score.
/// Scores are min-max normalised over the candidates, so they depend on the candidate set; the suite's documents
/// keep the same set when reordered, so the order-independence test still applies.
/// </summary>
[TestFixture]
public sealed class HybridWeightedSumContractTests : RerankerContractTests
{
    private TestReranker? _inner;

    protected override long BackendCallCount => _inner!.BackendCalls;

    protected override double ScoreTolerance => 1e-9;

    protected override IReranker CreateReranker() =>
        new HybridRerankerBuilder()
            .AddFirstStageScore(0.2)
            .AddBm25(0.3)
            .AddReranker(_inner = new TestReranker(), 0.5, ScoreNormalization.ZScore)
            .Build();
}
