using Microsoft.Extensions.DependencyInjection;

namespace Rerank.AspNetCore;

/// <summary>
/// Picks the reranker a request names: through <see cref="IRerankerProvider"/> (<c>services.AddReranking()</c>) when there
/// is one, else a keyed <see cref="IReranker"/>; the default reranker when the request names none. The rerankers belong to
/// the container.
/// </summary>
internal sealed class RerankerResolver
{
    private readonly IServiceProvider _services;
    private readonly IRerankerProvider? _provider;

    public RerankerResolver(IServiceProvider services)
    {
        _services = services;
        _provider = services.GetService<IRerankerProvider>();
    }

    /// <summary>Gets the reranker for <paramref name="model"/>.</summary>
    /// <param name="model">The requested model, or <see langword="null"/> for the default.</param>
    /// <returns>The reranker and the name it is served under.</returns>
    /// <exception cref="RerankRequestException">No reranker has that name (404), or none is the default (404).</exception>
    public (IReranker Reranker, string Name) Resolve(string? model)
    {
        if (model is null)
        {
            if (_provider?.DefaultName is string defaultName)
            {
                return (_provider.GetReranker(defaultName), defaultName);
            }

            if (_services.GetService<IReranker>() is IReranker reranker)
            {
                string name = reranker.GetService(typeof(RerankerMetadata)) is RerankerMetadata { DefaultModelId: string id } ? id : "default";
                return (reranker, name);
            }

            throw NotFound("This request names no model and the server has no default reranker.");
        }

        if (_provider is not null && _provider.TryGetReranker(model, out IReranker? named))
        {
            return (named, model);
        }

        if (_services is IKeyedServiceProvider keyed && keyed.GetKeyedService<IReranker>(model) is IReranker keyedReranker)
        {
            return (keyedReranker, model);
        }

        // The name is the client's text: it is quoted back only when short, so a hostile value is not reflected at length.
        string shown = model.Length <= 100 ? $"'{model}'" : $"of {model.Length} characters";
        throw NotFound($"The model {shown} is not served here.");
    }

    private RerankRequestException NotFound(string message)
    {
        IReadOnlyList<string> names = _provider?.Names ?? [];
        string served = names.Count == 0 ? " No named models are registered." : " Served models: " + string.Join(", ", names) + ".";
        return new RerankRequestException(404, message + served, "NotFound");
    }
}
