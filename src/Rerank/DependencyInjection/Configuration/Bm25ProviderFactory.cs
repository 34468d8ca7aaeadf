namespace Rerank;

/// <summary>The <c>bm25</c> provider: <see cref="Bm25Reranker"/>, with the keys <c>K1</c> and <c>B</c>.</summary>
internal sealed class Bm25ProviderFactory() : RerankerProviderFactory("bm25", ["K1", "B"])
{
    public override Func<IServiceProvider, IReranker> Configure(RerankerConfigurationContext context)
    {
        Bm25Options options = Bind(context);
        return _ => new Bm25Reranker(options);
    }

    /// <summary>Reads and checks the options.</summary>
    internal static Bm25Options Bind(RerankerConfigurationContext context)
    {
        NoModel(context, "BM25 scores words and has no model");
        var options = new Bm25Options();
        options.K1 = context.GetValue<double>("K1") ?? options.K1;
        options.B = context.GetValue<double>("B") ?? options.B;
        try
        {
            options.Validate();
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw context.Error(ex.ParamName ?? "K1", ex.Message.Split(Environment.NewLine)[0].Split(" (Parameter '")[0], ex);
        }

        return options;
    }

    internal static void NoModel(RerankerConfigurationContext context, string why)
    {
        if (context.Model is not null)
        {
            throw context.Error("Model", $"the '{context.Section["Provider"]}' provider takes no model ({why}); remove the key.");
        }
    }
}
