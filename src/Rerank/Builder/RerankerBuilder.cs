namespace Rerank;

/// <summary>
/// Builds a reranking pipeline: an inner reranker wrapped in middleware layers. The first <c>Use</c> call is the
/// outermost layer, as with <c>ChatClientBuilder</c>.
/// </summary>
/// <example>
/// <code>
/// IReranker reranker = new RerankerBuilder(crossEncoder)
///     .UseTimeout(TimeSpan.FromSeconds(1))
///     .Build();
/// </code>
/// </example>
public sealed class RerankerBuilder
{
    private readonly Func<IServiceProvider, IReranker> _innerFactory;
    private readonly List<Func<IReranker, IServiceProvider, IReranker>> _factories = [];

    /// <summary>Initializes a new instance of the <see cref="RerankerBuilder"/> class around an existing reranker.</summary>
    /// <param name="innerReranker">The reranker at the centre of the pipeline.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerReranker"/> is <see langword="null"/>.</exception>
    public RerankerBuilder(IReranker innerReranker)
    {
        ArgumentNullException.ThrowIfNull(innerReranker);
        _innerFactory = _ => innerReranker;
    }

    /// <summary>Initializes a new instance of the <see cref="RerankerBuilder"/> class with a factory for the inner reranker.</summary>
    /// <param name="innerRerankerFactory">Creates the reranker at the centre of the pipeline from the services given to <see cref="Build"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerRerankerFactory"/> is <see langword="null"/>.</exception>
    public RerankerBuilder(Func<IServiceProvider, IReranker> innerRerankerFactory)
    {
        ArgumentNullException.ThrowIfNull(innerRerankerFactory);
        _innerFactory = innerRerankerFactory;
    }

    /// <summary>Adds a layer around everything added after it.</summary>
    /// <param name="rerankerFactory">Wraps the reranker it is given.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="rerankerFactory"/> is <see langword="null"/>.</exception>
    public RerankerBuilder Use(Func<IReranker, IReranker> rerankerFactory)
    {
        ArgumentNullException.ThrowIfNull(rerankerFactory);
        return Use((inner, _) => rerankerFactory(inner));
    }

    /// <summary>Adds a layer around everything added after it, with access to the services given to <see cref="Build"/>.</summary>
    /// <param name="rerankerFactory">Wraps the reranker it is given, resolving what it needs from the service provider.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="rerankerFactory"/> is <see langword="null"/>.</exception>
    public RerankerBuilder Use(Func<IReranker, IServiceProvider, IReranker> rerankerFactory)
    {
        ArgumentNullException.ThrowIfNull(rerankerFactory);
        _factories.Add(rerankerFactory);
        return this;
    }

    /// <summary>Adds a layer written as a lambda: it receives the call's arguments and the next reranker, and may act before and after calling it.</summary>
    /// <param name="rerankFunc">The layer's logic. It must call <c>next.RerankAsync</c> to reach the inner reranker, or answer itself.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="rerankFunc"/> is <see langword="null"/>.</exception>
    /// <example>
    /// <code>
    /// builder.Use(async (query, documents, options, next, cancellationToken) =>
    /// {
    ///     var stopwatch = Stopwatch.StartNew();
    ///     var response = await next.RerankAsync(query, documents, options, cancellationToken);
    ///     Console.WriteLine(stopwatch.Elapsed);
    ///     return response;
    /// });
    /// </code>
    /// </example>
    public RerankerBuilder Use(Func<string, IEnumerable<RerankDocument>, RerankOptions?, IReranker, CancellationToken, Task<RerankResponse>> rerankFunc)
    {
        ArgumentNullException.ThrowIfNull(rerankFunc);
        return Use((inner, _) => new AnonymousDelegatingReranker(inner, rerankFunc));
    }

    /// <summary>Builds the pipeline.</summary>
    /// <param name="services">Services the layers may resolve dependencies from; an empty provider if <see langword="null"/>.</param>
    /// <returns>The outermost layer.</returns>
    /// <exception cref="InvalidOperationException">A factory returned <see langword="null"/>.</exception>
    public IReranker Build(IServiceProvider? services = null)
    {
        services ??= EmptyServiceProvider.Instance;
        IReranker reranker = _innerFactory(services)
            ?? throw new InvalidOperationException("The inner reranker factory returned null; it must return an IReranker.");

        // Applied in reverse so that the first Use ends up outermost.
        for (int i = _factories.Count - 1; i >= 0; i--)
        {
            reranker = _factories[i](reranker, services)
                ?? throw new InvalidOperationException(
                    $"The factory of layer {i} (0 is outermost) returned null; a Use factory must return an IReranker, or its input to add no layer.");
        }

        return reranker;
    }
}
