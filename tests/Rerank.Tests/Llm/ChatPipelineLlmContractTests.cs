using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Rerank.Testing;

namespace Rerank.Tests.Llm;

/// <summary>The contract suite against listwise reranking over a real Microsoft.Extensions.AI pipeline (options, logging) built with <see cref="ChatClientBuilder"/>.</summary>
[TestFixture]
public sealed class ChatPipelineLlmContractTests : RerankerContractTests
{
    private RelevanceChatClient? _model;

    protected override long BackendCallCount => _model!.Calls;

    protected override bool ScoresArePointwise => false;

    protected override IReranker CreateReranker()
    {
        _model = new RelevanceChatClient(TestReranker.Score, LlmRerankMode.Listwise, jsonRanking: true);
        IChatClient pipeline = new ChatClientBuilder(_model)
            .ConfigureOptions(options => options.MaxOutputTokens = 400)
            .UseLogging(NullLoggerFactory.Instance)
            .Build();
        return pipeline.AsReranker(new LlmRerankerOptions { Mode = LlmRerankMode.Listwise });
    }
}
