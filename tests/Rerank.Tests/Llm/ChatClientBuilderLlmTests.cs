using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Rerank.Testing;

namespace Rerank.Tests.Llm;

/// <summary>The LLM reranker over real Microsoft.Extensions.AI pipelines and dependency injection.</summary>
[TestFixture]
public sealed class ChatClientBuilderLlmTests
{
    private const string Query = "how do plants make energy from sunlight";

    private static readonly string[] Texts =
    [
        "Plants make energy from sunlight through photosynthesis.",
        "The stock market fell sharply on Tuesday.",
        "Sunlight is absorbed by chlorophyll.",
    ];

    [Test]
    public async Task A_caching_chat_pipeline_answers_a_repeated_rerank_without_the_model()
    {
        var model = new RelevanceChatClient((q, t) => TestReranker.Score(q, t) * 9, LlmRerankMode.Pointwise);
        var seen = new List<ChatOptions?>();
        IChatClient pipeline = new ChatClientBuilder(model)
            .UseDistributedCache(new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions())))
            .ConfigureOptions(options => options.MaxOutputTokens = 256)
            .Use((messages, options, next, cancellationToken) =>
            {
                lock (seen)
                {
                    seen.Add(options);
                }

                return next(messages, options, cancellationToken);
            })
            .Build();
        using IReranker reranker = pipeline.AsReranker();

        RerankResponse first = await reranker.RerankAsync(Query, Texts);
        RerankResponse second = await reranker.RerankAsync(Query, Texts);

        Assert.That(model.Calls, Is.EqualTo(1), "the second call was served by the chat pipeline's cache");
        Assert.That(second.Results.Select(r => (r.Index, r.Score)), Is.EqualTo(first.Results.Select(r => (r.Index, r.Score))));
        Assert.That(first.Results[0].Index, Is.EqualTo(0));
        ChatOptions options = seen.Single()!;
        Assert.That(options.MaxOutputTokens, Is.EqualTo(256));
        Assert.That(options.Temperature, Is.EqualTo(0f));
        Assert.That(options.ResponseFormat, Is.InstanceOf<ChatResponseFormatJson>());
        Assert.That(reranker.GetService<DistributedCachingChatClient>(), Is.Not.Null, "GetService reaches into the chat pipeline");
    }

    [Test]
    public async Task A_reranker_over_a_registered_chat_client_resolves_from_dependency_injection()
    {
        var model = new RelevanceChatClient(TestReranker.Score, LlmRerankMode.Listwise, jsonRanking: true);
        var services = new ServiceCollection();
        services.AddSingleton<Microsoft.Extensions.Logging.ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddChatClient(model).UseLogging();
        services.AddReranker(sp => sp.GetRequiredService<IChatClient>().AsReranker(new LlmRerankerOptions { Mode = LlmRerankMode.Listwise }));
        await using ServiceProvider provider = services.BuildServiceProvider();

        RerankResponse response = await provider.GetRequiredService<IReranker>().RerankAsync(Query, Texts, new RerankOptions { TopN = 2 });

        Assert.That(response.Results.Select(r => r.Index), Is.EqualTo(new[] { 0, 2 }));
        Assert.That(model.Calls, Is.EqualTo(1));
        Assert.That(response.ModelId, Is.EqualTo("relevance-model"));
    }
}
