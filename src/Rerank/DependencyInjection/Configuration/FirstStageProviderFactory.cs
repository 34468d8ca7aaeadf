namespace Rerank;

/// <summary>The <c>first-stage</c> provider: <see cref="FirstStageOrderReranker"/>, the last fallback that keeps the first stage's order.</summary>
internal sealed class FirstStageProviderFactory() : RerankerProviderFactory("first-stage", [])
{
    public override Func<IServiceProvider, IReranker> Configure(RerankerConfigurationContext context)
    {
        Bm25ProviderFactory.NoModel(context, "it keeps the first stage's order");
        return _ => new FirstStageOrderReranker();
    }
}
