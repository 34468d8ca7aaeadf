using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Rerank;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds named rerankers of the Rerank package (BM25, first-stage order, an LLM judge, hybrid fusion, your own) to an <see cref="IRerankingBuilder"/>.</summary>
/// <remarks>
/// Each method returns the reranker's <see cref="RerankerBuilder"/>, whose <c>Use…</c> calls add middleware, outermost first.
/// The pipeline is built once per container from the root services (at first use, or at start-up by
/// <see cref="RerankingOptions.Loading"/>) and disposed with the container; so a factory must not depend on scoped services.
/// </remarks>
public static class RerankingBuilderExtensions
{
    /// <summary>Adds a named reranker created by <paramref name="innerRerankerFactory"/>.</summary>
    /// <param name="builder">The reranking builder.</param>
    /// <param name="name">The name: the key of <c>[FromKeyedServices(name)]</c> and of <see cref="IRerankerProvider"/>.</param>
    /// <param name="innerRerankerFactory">Creates the reranker at the centre of the pipeline, once, from the root services. What it creates is disposed with the container.</param>
    /// <returns>The pipeline builder, to add middleware.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or holds a <c>:</c>.</exception>
    public static RerankerBuilder AddReranker(this IRerankingBuilder builder, string name, Func<IServiceProvider, IReranker> innerRerankerFactory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        CheckName(name);
        ArgumentNullException.ThrowIfNull(innerRerankerFactory);
        RerankingSetup setup = RerankingServiceCollectionExtensions.GetOrAddSetup(builder.Services);
        var pipeline = new RerankerBuilder(innerRerankerFactory);
        setup.CodeRerankers.Add((name, pipeline));
        RerankingServiceCollectionExtensions.AddKeyed(builder.Services, setup, name);
        return pipeline;
    }

    /// <summary>Adds a named reranker around an instance you own.</summary>
    /// <param name="builder">The reranking builder.</param>
    /// <param name="name">The name.</param>
    /// <param name="innerReranker">The reranker at the centre of the pipeline. It stays yours: the container disposes the layers around it, never it.</param>
    /// <returns>The pipeline builder, to add middleware.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or holds a <c>:</c>.</exception>
    public static RerankerBuilder AddReranker(this IRerankingBuilder builder, string name, IReranker innerReranker)
    {
        ArgumentNullException.ThrowIfNull(innerReranker);
        return builder.AddReranker(name, _ => new SharedInstanceReranker(innerReranker));
    }

    /// <summary>Adds a <see cref="Bm25Reranker"/>: Okapi BM25 with no model, the natural last fallback.</summary>
    /// <param name="builder">The reranking builder.</param>
    /// <param name="name">The name; <c>bm25</c> by default.</param>
    /// <param name="configure">Sets k1, b, the analyser or corpus statistics; checked when the reranker is built.</param>
    /// <returns>The pipeline builder, to add middleware.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or holds a <c>:</c>.</exception>
    public static RerankerBuilder AddBm25(this IRerankingBuilder builder, string name = "bm25", Action<Bm25Options>? configure = null) =>
        builder.AddReranker(name, _ =>
        {
            var options = new Bm25Options();
            configure?.Invoke(options);
            return new Bm25Reranker(options);
        });

    /// <summary>Adds a <see cref="FirstStageOrderReranker"/>, which keeps the first stage's order: the fallback that cannot fail.</summary>
    /// <param name="builder">The reranking builder.</param>
    /// <param name="name">The name; <c>first-stage</c> by default.</param>
    /// <returns>The pipeline builder, to add middleware.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or holds a <c>:</c>.</exception>
    public static RerankerBuilder AddFirstStageOrder(this IRerankingBuilder builder, string name = "first-stage") =>
        builder.AddReranker(name, _ => new FirstStageOrderReranker());

    /// <summary>Adds an LLM judge over the registered <see cref="IChatClient"/> (see <see cref="ChatClientRerankerExtensions.AsReranker"/>).</summary>
    /// <param name="builder">The reranking builder.</param>
    /// <param name="name">The name.</param>
    /// <param name="configure">Sets the mode, prompts and limits; checked when the reranker is built.</param>
    /// <param name="chatClientKey">The key of a keyed <see cref="IChatClient"/>, or <see langword="null"/> for the unkeyed one. The chat client is the container's and is not disposed by the reranker.</param>
    /// <returns>The pipeline builder, to add middleware.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or holds a <c>:</c>.</exception>
    public static RerankerBuilder AddLlm(this IRerankingBuilder builder, string name, Action<LlmRerankerOptions>? configure = null, object? chatClientKey = null) =>
        builder.AddReranker(name, sp =>
        {
            var options = new LlmRerankerOptions();
            configure?.Invoke(options);
            return LlmProviderFactory.Create(sp, options, chatClientKey);
        });

    /// <summary>Adds a <see cref="HybridReranker"/> whose signals <paramref name="configure"/> adds.</summary>
    /// <param name="builder">The reranking builder.</param>
    /// <param name="name">The name.</param>
    /// <param name="configure">
    /// Adds the signals and sets the fusion, with the root services at hand. A reranker signal taken from
    /// <see cref="IRerankerProvider"/> is another named pipeline, built once and shared; the hybrid disposes only the handle it
    /// was given, and only when the container disposes the hybrid.
    /// </param>
    /// <returns>The pipeline builder, to add middleware.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or holds a <c>:</c>.</exception>
    /// <example>
    /// <code>
    /// services.AddReranking()
    ///     .AddHybrid("hybrid", (hybrid, sp) => hybrid
    ///         .AddFirstStageScore(weight: 0.3)
    ///         .AddBm25(weight: 0.2)
    ///         .AddReranker(sp.GetRequiredService&lt;IRerankerProvider&gt;().GetReranker("local"), weight: 0.5));
    /// </code>
    /// </example>
    public static RerankerBuilder AddHybrid(this IRerankingBuilder builder, string name, Action<HybridRerankerBuilder, IServiceProvider> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.AddReranker(name, sp =>
        {
            var hybrid = new HybridRerankerBuilder();
            configure(hybrid, sp);
            return hybrid.Build();
        });
    }

    /// <summary>Adds layers in code to a reranker read from configuration, such as telemetry that configuration cannot express; they wrap the configured layers.</summary>
    /// <param name="builder">The reranking builder.</param>
    /// <param name="name">The configured reranker's name (its key under <c>Rerankers</c>); an unknown name fails at start-up.</param>
    /// <param name="configure">Adds the layers, outermost first, to the reranker's <see cref="RerankerBuilder"/>, once per container.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or holds a <c>:</c>.</exception>
    /// <example>
    /// <code>
    /// services.AddReranking(configuration.GetSection("Reranking")).AddCohereProvider()
    ///     .ConfigurePipeline("cohere", pipeline => pipeline.UseOpenTelemetry().UseLogging());
    /// </code>
    /// </example>
    public static IRerankingBuilder ConfigurePipeline(this IRerankingBuilder builder, string name, Action<RerankerBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        CheckName(name);
        ArgumentNullException.ThrowIfNull(configure);
        RerankingServiceCollectionExtensions.GetOrAddSetup(builder.Services).PipelineConfigurations.Add((name, configure));
        return builder;
    }

    /// <summary>Registers how a <c>Provider</c> name of the configuration schema is built; provider packages call it from their <c>Add…Provider()</c> methods.</summary>
    /// <param name="builder">The reranking builder.</param>
    /// <param name="factory">The factory; one per provider name (a second one for the same name replaces the first).</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IRerankingBuilder AddProvider(this IRerankingBuilder builder, RerankerProviderFactory factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton(typeof(RerankerProviderFactory), factory));
        return builder;
    }

    private static void CheckName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.Contains(':', StringComparison.Ordinal))
        {
            // ':' separates configuration paths: such a name could not be configured or named in an error.
            throw new ArgumentException($"A reranker name must not contain ':'; got '{name}'.", nameof(name));
        }
    }
}
