using Rerank.Testing;

namespace Rerank.Tests.Llm;

/// <summary>The contract suite against pointwise LLM reranking in several concurrent batches, over a deterministic fake model.</summary>
[TestFixture]
public sealed class PointwiseLlmContractTests : RerankerContractTests
{
    private RelevanceChatClient? _model;

    protected override long BackendCallCount => _model!.Calls;

    protected override IReranker CreateReranker()
    {
        _model = new RelevanceChatClient((query, text) => TestReranker.Score(query, text) * 9, LlmRerankMode.Pointwise);
        return _model.AsReranker(new LlmRerankerOptions { BatchSize = 3, MaxConcurrency = 2 });
    }
}
