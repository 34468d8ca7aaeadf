using Microsoft.Extensions.DependencyInjection.Extensions;
using Rerank;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Cohere (and the Cohere-compatible servers) to <c>services.AddReranking()</c>: a named reranker in code, or the <c>cohere</c> provider of the configuration schema.</summary>
public static class CohereRerankingBuilderExtensions
{
    /// <summary>Adds a named <see cref="CohereReranker"/> over a named <see cref="HttpClient"/> from <c>IHttpClientFactory</c>, with the same resilience pipeline as <c>AddCohereReranker</c>.</summary>
    /// <param name="builder">The reranking builder.</param>
    /// <param name="name">The name; <c>cohere</c> by default. The client and the options are named <c>CohereServiceCollectionExtensions.GetHttpClientName(name)</c>.</param>
    /// <param name="configure">Sets the options (dialect, endpoint, model, limits); the key defaults to the dialect's environment variable (<c>CO_API_KEY</c>).</param>
    /// <returns>The pipeline builder, to add middleware.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or holds a <c>:</c>.</exception>
    /// <example>
    /// <code>
    /// services.AddReranking().AddCohere("cohere", o => o.ModelId = "rerank-v3.5")
    ///     .UseTimeout(TimeSpan.FromMilliseconds(800));
    /// </code>
    /// </example>
    public static RerankerBuilder AddCohere(this IRerankingBuilder builder, string name = "cohere", Action<CohereRerankerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        builder.AddCohereProvider();
        return builder.AddReranker(name, CohereServiceCollectionExtensions.AddClient(builder.Services, name, _ => null, configure));
    }

    /// <summary>Registers the <c>cohere</c> provider, so that configured rerankers can say <c>"Provider": "cohere"</c>.</summary>
    /// <param name="builder">The reranking builder.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <remarks>
    /// Its keys besides the common ones: <c>Dialect</c>, <c>ApiKey</c>, <c>Endpoint</c>, <c>Path</c>, <c>MaxTokensPerDocument</c>,
    /// <c>MaxDocumentsPerRequest</c>, <c>MaxConcurrentRequests</c>, <c>AttemptTimeout</c> (the options' <c>Timeout</c>: the common
    /// <c>Timeout</c> key is the pipeline's), <c>TotalTimeout</c> and <c>Retry</c>; <c>Model</c> is the options' <c>ModelId</c>.
    /// A configured Cohere reranker owns an <see cref="HttpClient"/> of its own (connections renewed every two minutes), disposed
    /// with the container, and retries by itself.
    /// </remarks>
    public static IRerankingBuilder AddCohereProvider(this IRerankingBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<RerankerProviderFactory, CohereProviderFactory>());
        return builder;
    }
}
