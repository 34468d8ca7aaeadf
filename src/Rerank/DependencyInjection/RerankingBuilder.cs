using Rerank;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The <see cref="IRerankingBuilder"/> that <c>AddReranking</c> returns.</summary>
internal sealed class RerankingBuilder(IServiceCollection services, RerankingSetup setup) : IRerankingBuilder
{
    public IServiceCollection Services { get; } = services;

    public RerankingSetup Setup { get; } = setup;
}
