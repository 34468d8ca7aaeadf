using Microsoft.Extensions.AI;

namespace Rerank.Tests.Llm;

/// <summary>Options are checked when the reranker is created, and copied so that later changes do not leak in.</summary>
[TestFixture]
public sealed class LlmRerankerOptionsTests
{
    private static readonly IChatClient Client = ScriptedChatClient.FromTexts("[1] > [2]");

    private static IEnumerable<TestCaseData> BadOptions()
    {
        yield return new TestCaseData(new LlmRerankerOptions { BatchSize = 0 }, "BatchSize");
        yield return new TestCaseData(new LlmRerankerOptions { MaxConcurrency = 0 }, "MaxConcurrency");
        yield return new TestCaseData(new LlmRerankerOptions { MinScore = double.NaN }, "MinScore");
        yield return new TestCaseData(new LlmRerankerOptions { MaxScore = 0 }, "MaxScore");
        yield return new TestCaseData(new LlmRerankerOptions { MaxScore = double.PositiveInfinity }, "MaxScore");
        yield return new TestCaseData(new LlmRerankerOptions { WindowSize = 1, StepSize = 1 }, "WindowSize");
        yield return new TestCaseData(new LlmRerankerOptions { StepSize = 0 }, "StepSize");
        yield return new TestCaseData(new LlmRerankerOptions { StepSize = 20 }, "StepSize");
        yield return new TestCaseData(new LlmRerankerOptions { MaxCharactersPerDocument = 0 }, "MaxCharactersPerDocument");
        yield return new TestCaseData(new LlmRerankerOptions { MaxOutputRetries = -1 }, "MaxOutputRetries");
        yield return new TestCaseData(new LlmRerankerOptions { MaxOutputRetries = 6 }, "MaxOutputRetries");
        yield return new TestCaseData(new LlmRerankerOptions { Temperature = float.NaN }, "Temperature");
        yield return new TestCaseData(new LlmRerankerOptions { Mode = (LlmRerankMode)7 }, "Mode");
        yield return new TestCaseData(new LlmRerankerOptions { PointwiseSystemPrompt = " " }, "PointwiseSystemPrompt");
        yield return new TestCaseData(new LlmRerankerOptions { PointwisePromptTemplate = "Rate {query}" }, "PointwisePromptTemplate");
        yield return new TestCaseData(new LlmRerankerOptions { ListwisePromptTemplate = null! }, "ListwisePromptTemplate");
    }

    [TestCaseSource(nameof(BadOptions))]
    public void Bad_options_are_rejected_when_the_reranker_is_created(LlmRerankerOptions options, string property)
    {
        var ex = Assert.Throws(Is.InstanceOf<ArgumentException>(), () => Client.AsReranker(options));

        Assert.That(ex!.Message, Does.Contain(property));
    }

    [Test]
    public void A_null_chat_client_is_rejected()
    {
        Assert.Throws<ArgumentNullException>(() => ChatClientRerankerExtensions.AsReranker(null!));
    }

    [Test]
    public async Task Options_changed_after_creation_do_not_affect_the_reranker()
    {
        var chatOptions = new ChatOptions { MaxOutputTokens = 100 };
        var options = new LlmRerankerOptions { Mode = LlmRerankMode.Listwise, ChatOptions = chatOptions };
        var client = ScriptedChatClient.FromTexts("[2] > [1]");
        using IReranker reranker = client.AsReranker(options);

        options.Mode = LlmRerankMode.Pointwise;
        options.ListwisePromptTemplate = "changed {documents}";
        chatOptions.MaxOutputTokens = 5;
        RerankResponse response = await reranker.RerankAsync("q", ["a", "b"]);

        Assert.That(response.Results.Select(r => r.Index), Is.EqualTo(new[] { 1, 0 }));
        Assert.That(client.Calls.Single().User, Does.Not.StartWith("changed"));
        Assert.That(client.Calls.Single().Options!.MaxOutputTokens, Is.EqualTo(100));
    }

    [Test]
    public void Clone_copies_every_value_and_the_chat_options()
    {
        var original = new LlmRerankerOptions
        {
            Mode = LlmRerankMode.Listwise, BatchSize = 3, MaxConcurrency = 7, MinScore = 1, MaxScore = 5, NormalizeScores = false,
            WindowSize = 8, StepSize = 3, MaxCharactersPerDocument = 99, MaxOutputRetries = 2, PointwiseSystemPrompt = "a",
            PointwisePromptTemplate = "b {documents}", ListwiseSystemPrompt = "c", ListwisePromptTemplate = "d {documents}",
            Temperature = 0.5f, ModelId = "m", ChatOptions = new ChatOptions { TopP = 0.9f },
        };

        LlmRerankerOptions copy = original.Clone();

        Assert.That(copy, Is.Not.SameAs(original));
        Assert.That(copy.ChatOptions, Is.Not.SameAs(original.ChatOptions));
        Assert.That(copy.ChatOptions!.TopP, Is.EqualTo(0.9f));
        foreach (var property in typeof(LlmRerankerOptions).GetProperties().Where(p => p.Name != nameof(LlmRerankerOptions.ChatOptions)))
        {
            Assert.That(property.GetValue(copy), Is.EqualTo(property.GetValue(original)), property.Name);
        }
    }
}
