using Rerank.Testing;

namespace Rerank.Tests.Lexical;

/// <summary>The contract suite against the BM25 reranker; its "backend" is the scoring pass.</summary>
[TestFixture]
public sealed class Bm25RerankerContractTests : RerankerContractTests
{
    private Bm25Reranker? _reranker;

    protected override long BackendCallCount => _reranker!.ScoringCalls;

    protected override IReranker CreateReranker() => _reranker = new Bm25Reranker();
}
