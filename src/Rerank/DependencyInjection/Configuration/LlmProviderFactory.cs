using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Rerank;

/// <summary>The <c>llm</c> provider: an LLM judge over the registered <see cref="IChatClient"/> (keyed by <c>ChatClient</c> when set).</summary>
internal sealed class LlmProviderFactory() : RerankerProviderFactory("llm", Keys)
{
    private static readonly string[] Keys =
    [
        "ChatClient", "Mode", "BatchSize", "MaxConcurrency", "MinScore", "MaxScore", "NormalizeScores", "WindowSize", "StepSize",
        "MaxCharactersPerDocument", "MaxOutputRetries", "Temperature",
    ];

    public override Func<IServiceProvider, IReranker> Configure(RerankerConfigurationContext context)
    {
        LlmRerankerOptions options = Bind(context);
        string? key = context.GetString("ChatClient");
        if (!context.IsServiceRegistered(typeof(IChatClient), key))
        {
            throw key is null
                ? context.Error("Provider", "the 'llm' provider needs an IChatClient service: register one (such as services.AddChatClient(...)), or name a keyed one with ChatClient.")
                : context.Error("ChatClient", $"no IChatClient is registered with the key '{key}' (services.AddKeyedChatClient(\"{key}\", ...)).");
        }

        return sp => Create(sp, options, key);
    }

    /// <summary>Reads and checks the options.</summary>
    internal static LlmRerankerOptions Bind(RerankerConfigurationContext context)
    {
        var options = new LlmRerankerOptions { ModelId = context.Model };
        options.Mode = context.GetValue<LlmRerankMode>("Mode") ?? options.Mode;
        options.BatchSize = context.GetValue<int>("BatchSize") ?? options.BatchSize;
        options.MaxConcurrency = context.GetValue<int>("MaxConcurrency") ?? options.MaxConcurrency;
        options.MinScore = context.GetValue<double>("MinScore") ?? options.MinScore;
        options.MaxScore = context.GetValue<double>("MaxScore") ?? options.MaxScore;
        options.NormalizeScores = context.GetValue<bool>("NormalizeScores") ?? options.NormalizeScores;
        options.WindowSize = context.GetValue<int>("WindowSize") ?? options.WindowSize;
        options.StepSize = context.GetValue<int>("StepSize") ?? options.StepSize;
        options.MaxCharactersPerDocument = context.GetValue<int>("MaxCharactersPerDocument") ?? options.MaxCharactersPerDocument;
        options.MaxOutputRetries = context.GetValue<int>("MaxOutputRetries") ?? options.MaxOutputRetries;
        options.Temperature = context.GetValue<float>("Temperature") ?? options.Temperature;
        try
        {
            options.Validate();
        }
        catch (ArgumentException ex)
        {
            throw context.Error(ex.ParamName ?? "Mode", ex.Message.Split(Environment.NewLine)[0].Split(" (Parameter '")[0], ex);
        }

        return options;
    }

    /// <summary>The chat client is the container's: the reranker over it does not dispose it.</summary>
    internal static IReranker Create(IServiceProvider services, LlmRerankerOptions options, object? chatClientKey)
    {
        IChatClient client = chatClientKey is null ? services.GetRequiredService<IChatClient>() : services.GetRequiredKeyedService<IChatClient>(chatClientKey);
        return client.AsReranker(options);
    }
}
