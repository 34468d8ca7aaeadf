using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Rerank;

/// <summary>Checks the whole reranking registration (every configured reranker, provider, key and value) when <see cref="RerankingOptions"/> is first read: at start-up, through <c>ValidateOnStart</c>.</summary>
internal sealed class RerankingOptionsValidator(RerankingSetup setup, IEnumerable<RerankerProviderFactory> factories, IServiceProviderIsService? isService = null)
    : IValidateOptions<RerankingOptions>
{
    public ValidateOptionsResult Validate(string? name, RerankingOptions options)
    {
        if (name != Options.DefaultName)
        {
            return ValidateOptionsResult.Skip;
        }

        RerankingPlan plan = RerankingPlan.For(setup, options, factories, isService);
        return plan.Errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(plan.Errors);
    }
}
