using Microsoft.AspNetCore.Builder;

namespace Rerank.AspNetCore;

/// <summary>Applies conventions (authorization, rate limiting, OpenAPI) to every endpoint <c>MapRerankEndpoints</c> maps.</summary>
internal sealed class RerankEndpointConventionBuilder(IReadOnlyList<IEndpointConventionBuilder> builders) : IEndpointConventionBuilder
{
    public void Add(Action<EndpointBuilder> convention)
    {
        foreach (IEndpointConventionBuilder builder in builders)
        {
            builder.Add(convention);
        }
    }

    public void Finally(Action<EndpointBuilder> finallyConvention)
    {
        foreach (IEndpointConventionBuilder builder in builders)
        {
            builder.Finally(finallyConvention);
        }
    }
}
