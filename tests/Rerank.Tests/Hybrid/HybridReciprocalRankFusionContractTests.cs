using Microsoft.Extensions.Time.Testing;
using Rerank.Testing;

namespace Rerank.Tests.Hybrid;

/// <summary>The contract suite against a reciprocal-rank-fusion hybrid with a timeout, recency and a custom signal.</summary>
[TestFixture]
public sealed class HybridReciprocalRankFusionContractTests : RerankerContractTests
{
    private TestReranker? _inner;

    protected override long BackendCallCount => _inner!.BackendCalls;

    protected override IReranker CreateReranker() =>
        new HybridRerankerBuilder()
            .AddReranker(_inner = new TestReranker(), 2)
            .AddBm25()
            .AddRecency(TimeSpan.FromDays(30))
            .AddSignal("length", (_, document) => -document.Text.Length, 0.5)
            .UseReciprocalRankFusion()
            .UseSignalTimeout(TimeSpan.FromMinutes(1))
            .UseTimeProvider(new FakeTimeProvider())
            .OnSignalFailure(HybridSignalFailureBehavior.DropSignal)
            .Build();
}
