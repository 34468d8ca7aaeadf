namespace Rerank;

/// <summary>A policy whose rule is the caller's delegate.</summary>
internal sealed class CustomPolicy(string name, Func<SelectiveRerankingContext, SelectiveRerankingVerdict> predicate) : SelectiveRerankingPolicy(name)
{
    public override SelectiveRerankingVerdict Evaluate(SelectiveRerankingContext context) => predicate(context);
}
