using Rerank.Testing;

namespace Rerank.Tests.Llm;

/// <summary>The contract suite against listwise LLM reranking with a window smaller than the list, so the sliding window runs.</summary>
[TestFixture]
public sealed class ListwiseLlmContractTests : RerankerContractTests
{
    private RelevanceChatClient? _model;

    protected override long BackendCallCount => _model!.Calls;

    // Listwise scores come from the rank within the candidate set.
    protected override bool ScoresArePointwise => false;

    protected override IReranker CreateReranker()
    {
        _model = new RelevanceChatClient(TestReranker.Score, LlmRerankMode.Listwise);
        return _model.AsReranker(new LlmRerankerOptions { Mode = LlmRerankMode.Listwise, WindowSize = 4, StepSize = 2 });
    }
}
