namespace Rerank;

/// <summary>
/// Builds the rerankers of one <c>Provider</c> name of the <c>AddReranking</c> configuration schema. Each provider package
/// registers its own (Rerank.Cohere: <c>cohere</c>, Rerank.Onnx: <c>onnx</c>), so the Rerank package never references a
/// provider's runtime; Rerank itself registers <c>bm25</c>, <c>first-stage</c> and <c>llm</c>.
/// </summary>
/// <remarks>
/// Register a factory as a singleton <see cref="RerankerProviderFactory"/> service (the packages' <c>Add…Provider()</c>
/// methods do it with <c>TryAddEnumerable</c>). <see cref="Configure"/> runs when the application starts (through
/// <c>ValidateOnStart</c>), before any model is loaded: it reads and checks every provider-specific key, so that a bad value
/// stops the start with a message naming its configuration path, and returns what builds the reranker later.
/// </remarks>
public abstract class RerankerProviderFactory
{
    /// <summary>Initializes a new instance of the <see cref="RerankerProviderFactory"/> class.</summary>
    /// <param name="providerName">The value of the <c>Provider</c> key this factory answers, such as <c>onnx</c>; compared case-insensitively.</param>
    /// <param name="configurationKeys">The provider-specific keys a reranker's section may hold besides the common ones (<c>Provider</c>, <c>Model</c>, <c>Timeout</c>, <c>Cache</c>, <c>FallbackTo</c>).</param>
    /// <exception cref="ArgumentException"><paramref name="providerName"/> is empty, or a key is empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="configurationKeys"/> is <see langword="null"/>.</exception>
    protected RerankerProviderFactory(string providerName, IEnumerable<string> configurationKeys)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(providerName);
        ArgumentNullException.ThrowIfNull(configurationKeys);
        string[] keys = [.. configurationKeys];
        if (keys.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("A configuration key is null or empty.", nameof(configurationKeys));
        }

        ProviderName = providerName;
        ConfigurationKeys = keys;
    }

    /// <summary>Gets the value of the <c>Provider</c> key this factory answers.</summary>
    public string ProviderName { get; }

    /// <summary>Gets the provider-specific keys a reranker's section may hold; any other key is reported as unknown at start-up.</summary>
    public IReadOnlyCollection<string> ConfigurationKeys { get; }

    /// <summary>Reads and checks one reranker's provider-specific settings, and returns what creates its inner reranker.</summary>
    /// <param name="context">The reranker's name, section and helpers that read values with errors naming their path.</param>
    /// <returns>
    /// Creates the inner reranker from the application's root services, once per container. What it creates belongs to the
    /// container's pipeline, which disposes it; what it resolves from the services belongs to the container.
    /// </returns>
    /// <exception cref="RerankingConfigurationException">A value is missing or invalid; the message names its configuration path.</exception>
    public abstract Func<IServiceProvider, IReranker> Configure(RerankerConfigurationContext context);
}
