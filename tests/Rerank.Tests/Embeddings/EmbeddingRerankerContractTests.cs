using Rerank.Testing;

namespace Rerank.Tests.Embeddings;

/// <summary>The contract suite against the embedding reranker over a deterministic generator; its backend is the generator.</summary>
[TestFixture]
public sealed class EmbeddingRerankerContractTests : RerankerContractTests
{
    private HashingEmbeddingGenerator? _generator;

    protected override long BackendCallCount => _generator!.Calls;

    protected override IReranker CreateReranker() => new EmbeddingReranker(_generator = new HashingEmbeddingGenerator());
}
