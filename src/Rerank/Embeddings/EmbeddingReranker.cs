using System.Globalization;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Rerank;

/// <summary>
/// Reranks by the cosine similarity between the query's embedding and each document's, over any
/// <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> (the local <c>OnnxEmbeddingGenerator</c>, OpenAI, Ollama, ...).
/// </summary>
/// <remarks>
/// <para>
/// Each call embeds the query once and every document the cache does not hold, in one generator call (identical texts
/// once); document embeddings are kept in a content-addressed cache whose keys are the SHA-256 of the model, its
/// dimensions, <see cref="EmbeddingRerankerOptions.DocumentGenerationOptions"/> and the text, so a document seen before is
/// never embedded again, by this instance or (with an <see cref="IDistributedCache"/>) by any other.
/// </para>
/// <para>
/// Scores are cosines in [-1, 1] and pointwise: they depend on the query, the document and the configuration only, so
/// the score-caching, batching and chunking layers may be put around this reranker.
/// </para>
/// <para>
/// Ownership: the generator and a cache passed in are the caller's and are never disposed here; the memory cache the
/// reranker creates for itself (when none is passed) is disposed with it. Safe to share between concurrent callers.
/// </para>
/// </remarks>
public sealed class EmbeddingReranker : IReranker
{
    /// <summary>The provider name reported in <see cref="RerankerMetadata"/>.</summary>
    public const string ProviderName = "embedding";

    private readonly IEmbeddingGenerator<string, Embedding<float>> _generator;
    private readonly DocumentEmbeddingStore _store;
    private readonly EmbeddingGenerationOptions? _queryOptions;
    private readonly EmbeddingGenerationOptions? _documentOptions;
    private readonly ScoreCacheKey _keyPrefix;
    private readonly RerankerMetadata _metadata;
    private readonly string? _modelId;
    private int _disposed;

    /// <summary>Initializes a new instance of the <see cref="EmbeddingReranker"/> class with a memory cache of its own.</summary>
    /// <param name="generator">The embedding generator; the caller's, not disposed here.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="logger">Receives cache failures; <see langword="null"/> logs nothing.</param>
    /// <exception cref="ArgumentNullException"><paramref name="generator"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="EmbeddingRerankerOptions.MaxCachedDocuments"/> is below 1.</exception>
    public EmbeddingReranker(IEmbeddingGenerator<string, Embedding<float>> generator, EmbeddingRerankerOptions? options = null, ILogger? logger = null)
        : this(generator, options, logger, static (o, l) => DocumentEmbeddingStore.Memory(new MemoryCache(new MemoryCacheOptions { SizeLimit = ValidateLimit(o) }), ownsCache: true, o, l))
    {
    }

    /// <summary>Initializes a new instance of the <see cref="EmbeddingReranker"/> class over a memory cache the caller owns.</summary>
    /// <param name="generator">The embedding generator; the caller's, not disposed here.</param>
    /// <param name="cache">The cache; each embedding is stored with size 1. The caller's, not disposed here.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="logger">Receives cache failures; <see langword="null"/> logs nothing.</param>
    /// <exception cref="ArgumentNullException"><paramref name="generator"/> or <paramref name="cache"/> is <see langword="null"/>.</exception>
    public EmbeddingReranker(IEmbeddingGenerator<string, Embedding<float>> generator, IMemoryCache cache, EmbeddingRerankerOptions? options = null, ILogger? logger = null)
        : this(generator, options, logger, (o, l) => DocumentEmbeddingStore.Memory(cache ?? throw new ArgumentNullException(nameof(cache)), ownsCache: false, o, l))
    {
    }

    /// <summary>Initializes a new instance of the <see cref="EmbeddingReranker"/> class over a distributed cache (Redis, SQL Server, ...), shared by every instance of a service.</summary>
    /// <param name="generator">The embedding generator; the caller's, not disposed here.</param>
    /// <param name="cache">The cache; embeddings are stored as float32 little-endian bytes under <see cref="EmbeddingRerankerOptions.KeyPrefix"/>. The caller's, not disposed here.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="logger">Receives cache failures; <see langword="null"/> logs nothing.</param>
    /// <exception cref="ArgumentNullException"><paramref name="generator"/> or <paramref name="cache"/> is <see langword="null"/>.</exception>
    public EmbeddingReranker(IEmbeddingGenerator<string, Embedding<float>> generator, IDistributedCache cache, EmbeddingRerankerOptions? options = null, ILogger? logger = null)
        : this(generator, options, logger, (o, l) => DocumentEmbeddingStore.Distributed(cache ?? throw new ArgumentNullException(nameof(cache)), o, l))
    {
    }

    private EmbeddingReranker(IEmbeddingGenerator<string, Embedding<float>> generator, EmbeddingRerankerOptions? options, ILogger? logger, Func<EmbeddingRerankerOptions, ILogger, DocumentEmbeddingStore> store)
    {
        ArgumentNullException.ThrowIfNull(generator);
        options ??= new EmbeddingRerankerOptions();
        _generator = generator;
        _queryOptions = options.QueryGenerationOptions?.Clone();
        _documentOptions = options.DocumentGenerationOptions?.Clone();

        EmbeddingGeneratorMetadata? generatorMetadata = generator.GetService<EmbeddingGeneratorMetadata>();
        _modelId = _documentOptions?.ModelId ?? generatorMetadata?.DefaultModelId;
        string generatorIdentity = string.Join(
            ";",
            "provider=" + (generatorMetadata?.ProviderName ?? generator.GetType().FullName),
            "uri=" + generatorMetadata?.ProviderUri,
            "model=" + generatorMetadata?.DefaultModelId,
            "dimensions=" + generatorMetadata?.DefaultModelDimensions?.ToString(CultureInfo.InvariantCulture),
            // The generator's own settings (a local model's files, pooling, length, default prompt), when it can name them:
            // two differently configured generators of one model must not share cached embeddings.
            "generator=" + (generator.GetService(typeof(string), RerankServiceKeys.ScoringFingerprint) as string ?? "unnamed"));
        string documentIdentity = "documents=" + Describe(_documentOptions);
        if (!new ScoreCacheKeyBuilder("rerank-document-embedding/1;" + generatorIdentity + ";" + documentIdentity, _modelId).TryCreatePrefix(string.Empty, null, out _keyPrefix))
        {
            throw new InvalidOperationException("The document-embedding cache key could not be derived.");
        }

        _metadata = new RerankerMetadata(ProviderName, generatorMetadata?.ProviderUri, _modelId)
        {
            ScoreSemantics = RerankScoreSemantics.Pointwise,
            ScoringFingerprint = $"embedding-cosine/1;{generatorIdentity};queries={Describe(_queryOptions)};{documentIdentity}",
        };
        _store = store(options, logger ?? NullLogger.Instance);
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The generator returned the wrong number of embeddings, or the query's embedding and a document's have different dimensions.</exception>
    public async Task<RerankResponse> RerankAsync(string query, IEnumerable<RerankDocument> documents, RerankOptions? options = null, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<RerankDocument> list = RerankContract.ValidateArguments(query, documents, options);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (list.Count == 0)
        {
            return new RerankResponse([]) { ModelId = _modelId, Usage = new RerankUsage { InputTokenCount = 0 } };
        }

        cancellationToken.ThrowIfCancellationRequested();
        var keys = new ScoreCacheKey[list.Count];
        ScoreCacheKeyBuilder.ForDocuments(_keyPrefix, list, keys);

        // The query is embedded while the cache is read.
        Task<GeneratedEmbeddings<Embedding<float>>> queryTask = _generator.GenerateAsync([query], _queryOptions, cancellationToken);
        var vectors = new float[]?[list.Count];
        await _store.ReadAsync(keys, vectors, cancellationToken).ConfigureAwait(false);

        // Identical texts are embedded once; the first index of each distinct missing key stands for the others.
        var missing = new Dictionary<ScoreCacheKey, int>();
        for (int i = 0; i < list.Count; i++)
        {
            if (vectors[i] is null)
            {
                missing.TryAdd(keys[i], i);
            }
        }

        int hits = list.Count - vectors.Count(v => v is null);
        long tokens = 0;
        if (missing.Count > 0)
        {
            int[] firsts = [.. missing.Values];
            GeneratedEmbeddings<Embedding<float>> generated = await _generator.GenerateAsync(firsts.Select(i => list[i].Text), _documentOptions, cancellationToken).ConfigureAwait(false);
            if (generated.Count != firsts.Length)
            {
                throw new InvalidOperationException($"The embedding generator returned {generated.Count} embeddings for {firsts.Length} documents.");
            }

            tokens += generated.Usage?.InputTokenCount ?? 0;
            var entries = new List<(ScoreCacheKey, float[])>(firsts.Length);
            var byKey = new Dictionary<ScoreCacheKey, float[]>(firsts.Length);
            for (int j = 0; j < firsts.Length; j++)
            {
                float[] vector = generated[j].Vector.ToArray();
                byKey[keys[firsts[j]]] = vector;
                entries.Add((keys[firsts[j]], vector));
            }

            for (int i = 0; i < list.Count; i++)
            {
                vectors[i] ??= byKey[keys[i]];
            }

            await _store.WriteAsync(entries, cancellationToken).ConfigureAwait(false);
        }

        GeneratedEmbeddings<Embedding<float>> queryEmbeddings = await queryTask.ConfigureAwait(false);
        if (queryEmbeddings.Count != 1)
        {
            throw new InvalidOperationException($"The embedding generator returned {queryEmbeddings.Count} embeddings for the query.");
        }

        tokens += queryEmbeddings.Usage?.InputTokenCount ?? 0;
        ReadOnlySpan<float> queryVector = queryEmbeddings[0].Vector.Span;
        var scores = new double[list.Count];
        for (int i = 0; i < list.Count; i++)
        {
            float[] vector = vectors[i]!;
            if (vector.Length != queryVector.Length)
            {
                throw new InvalidOperationException(
                    $"The query's embedding has {queryVector.Length} dimensions but document {i}'s {(missing.ContainsValue(i) ? string.Empty : "cached ")}embedding has {vector.Length}: the query and document options ask for different dimensions, or the generator's model changed without its metadata saying so. Use one model and one Dimensions setting for both, or clear the cache.");
            }

            scores[i] = Cosine(queryVector, vector);
        }

        return new RerankResponse(RerankContract.Rank(list, scores, options))
        {
            ModelId = _modelId,
            Usage = new RerankUsage { InputTokenCount = tokens, TotalTokenCount = tokens },
            AdditionalProperties = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                [RerankResponseProperties.EmbeddingCacheHits] = hits,
                [RerankResponseProperties.EmbeddingCacheMisses] = list.Count - hits,
            },
        };
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is null)
        {
            if (serviceType == typeof(RerankerMetadata))
            {
                return _metadata;
            }

            if (serviceType.IsInstanceOfType(this))
            {
                return this;
            }
        }

        // The generator and what it holds (an ONNX session, an HttpClient) are reachable through the reranker.
        return _generator.GetService(serviceType, serviceKey) ?? (serviceKey is null && serviceType.IsInstanceOfType(_generator) ? _generator : null);
    }

    /// <summary>Disposes the memory cache the reranker created, if any; never the generator or a cache passed in.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _store.Dispose();
        }
    }

    /// <summary>The cosine of two vectors; 0 when either is all zeros (rather than NaN).</summary>
    internal static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double dot = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            aa += (double)a[i] * a[i];
            bb += (double)b[i] * b[i];
        }

        return aa == 0 || bb == 0 ? 0 : dot / Math.Sqrt(aa * bb);
    }

    private static long ValidateLimit(EmbeddingRerankerOptions options)
    {
        if (options.MaxCachedDocuments < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxCachedDocuments, "EmbeddingRerankerOptions.MaxCachedDocuments must be at least 1.");
        }

        return options.MaxCachedDocuments;
    }

    /// <summary>Describes the generation options that change embeddings, for the fingerprint and the cache key.</summary>
    private static string Describe(EmbeddingGenerationOptions? options)
    {
        if (options is null)
        {
            return "default";
        }

        var text = new StringBuilder();
        text.Append("model=").Append(options.ModelId).Append(",dimensions=").Append(options.Dimensions?.ToString(CultureInfo.InvariantCulture));
        foreach (KeyValuePair<string, object?> pair in (options.AdditionalProperties ?? []).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append(',').Append(pair.Key).Append('=').Append(Convert.ToString(pair.Value, CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }
}
