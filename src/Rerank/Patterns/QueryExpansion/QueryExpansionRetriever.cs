using Microsoft.Extensions.AI;

namespace Rerank;

/// <summary>
/// Query expansion: a generator (an <see cref="IChatClient"/> or your delegate) writes variants of the query; the first
/// stage is searched for the query and each variant; the candidates are united by id with reciprocal rank fusion; and
/// the reranker scores the union once, with the original query.
/// </summary>
/// <remarks>
/// <para>
/// Bounded: at most <see cref="QueryExpansionOptions.MaxVariants"/> variants (a model that answers with 500 gets the
/// first ones used), <see cref="QueryExpansionOptions.CandidatesPerQuery"/> candidates per search and
/// <see cref="QueryExpansionOptions.MaxCandidates"/> after the union. Variants that are empty, repeat the query or another
/// variant, are longer than <see cref="QueryExpansionOptions.MaxVariantLength"/> or hold no letter or digit are dropped
/// and counted. A generator that fails or answers nothing leaves the original query alone; a search that fails for one
/// query is reported under <see cref="RerankResponseProperties.ExpansionFailures"/> while the others still count; only
/// when every search fails does the call throw. The caller's cancellation stops every step.
/// </para>
/// <para>
/// The reranker sees new <see cref="RerankDocument"/>s with the caller's text, id and metadata and, as their
/// <see cref="RerankDocument.Score"/>, the fused RRF score: the searches scored different queries, so their own scores are
/// not comparable. The response's <see cref="RerankResult.Index"/> points into
/// <see cref="RerankResponseProperties.ExpansionCandidates"/>, the fused list, best first.
/// </para>
/// <para>
/// Ownership: the reranker is owned (disposed with this retriever); the chat client and the search are the caller's.
/// One instance is safe to share between concurrent callers.
/// </para>
/// </remarks>
public sealed class QueryExpansionRetriever : IDisposable
{
    private readonly IReranker _reranker;
    private readonly FirstStageSearch _search;
    private readonly QueryVariantGenerator _generator;
    private readonly QueryExpansionOptions _options;
    private int _disposed;

    /// <summary>Initializes a new instance of the <see cref="QueryExpansionRetriever"/> class with a generator delegate.</summary>
    /// <param name="reranker">Scores the united candidates with the original query; owned.</param>
    /// <param name="search">The first-stage search.</param>
    /// <param name="generator">Writes the variants.</param>
    /// <param name="options">The bounds, or <see langword="null"/> for the defaults; copied.</param>
    /// <exception cref="ArgumentNullException">A required argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of its range.</exception>
    public QueryExpansionRetriever(IReranker reranker, FirstStageSearch search, QueryVariantGenerator generator, QueryExpansionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reranker);
        ArgumentNullException.ThrowIfNull(search);
        ArgumentNullException.ThrowIfNull(generator);
        options ??= new QueryExpansionOptions();
        _options = new QueryExpansionOptions
        {
            MaxVariants = options.MaxVariants,
            CandidatesPerQuery = options.CandidatesPerQuery,
            MaxCandidates = options.MaxCandidates,
            RrfK = options.RrfK,
            MaxVariantLength = options.MaxVariantLength,
        };
        _options.Validate();
        _reranker = reranker;
        _search = search;
        _generator = generator;
    }

    /// <summary>Initializes a new instance of the <see cref="QueryExpansionRetriever"/> class whose variants an <see cref="IChatClient"/> writes, one per line.</summary>
    /// <param name="reranker">Scores the united candidates with the original query; owned.</param>
    /// <param name="search">The first-stage search.</param>
    /// <param name="chatClient">Writes the variants (temperature 0); the caller's, never disposed here.</param>
    /// <param name="options">The bounds, or <see langword="null"/> for the defaults; copied.</param>
    /// <exception cref="ArgumentNullException">A required argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of its range.</exception>
    public QueryExpansionRetriever(IReranker reranker, FirstStageSearch search, IChatClient chatClient, QueryExpansionOptions? options = null)
        : this(reranker, search, ChatQueryVariantGenerator.Create(chatClient ?? throw new ArgumentNullException(nameof(chatClient)), options?.MaxVariantLength ?? 256), options)
    {
    }

    /// <summary>Expands, searches, unites and reranks.</summary>
    /// <param name="query">The user's query.</param>
    /// <param name="options">The reranking options (TopN, ScoreThreshold…), or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels every step.</param>
    /// <returns>The reranked response, with the variants, the fused candidates and any failures in its properties.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="query"/> is empty or white space.</exception>
    /// <exception cref="AggregateException">Every first-stage search failed; it holds each failure.</exception>
    /// <exception cref="ObjectDisposedException">The retriever was disposed.</exception>
    public async Task<RerankResponse> SearchAsync(string query, RerankOptions? options = null, CancellationToken cancellationToken = default)
    {
        RerankContract.ValidateQuery(query);
        RerankContract.ValidateOptions(options);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        cancellationToken.ThrowIfCancellationRequested();

        var failures = new List<QueryExpansionFailure>();
        (List<string> variants, int dropped) = await GenerateAsync(query, failures, cancellationToken).ConfigureAwait(false);
        string[] queries = [query, .. variants];

        // Concurrent searches; each one's failure is caught inside its own task so the others still count.
        (IReadOnlyList<RerankDocument>? Found, Exception? Error)[] searches =
            await Task.WhenAll(queries.Select(q => SearchOneAsync(q, cancellationToken))).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();

        var lists = new List<IReadOnlyList<RerankDocument>>(queries.Length);
        for (int i = 0; i < queries.Length; i++)
        {
            if (searches[i].Error is { } error)
            {
                failures.Add(new QueryExpansionFailure(queries[i], "search", error));
            }
            else
            {
                lists.Add(searches[i].Found!);
            }
        }

        if (lists.Count == 0)
        {
            throw new AggregateException(
                $"Every first-stage search of query expansion failed ({queries.Length} queries); see the inner exceptions.",
                searches.Select(s => s.Error!));
        }

        List<RerankDocument> candidates = Fuse(lists);
        RerankResponse inner = candidates.Count == 0
            ? new RerankResponse([])
            : await _reranker.RerankAsync(query, candidates, options, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"The reranker {_reranker.GetType().FullName} returned a null response.");
        RerankResponse response = ResponseProperties.From(inner.Results, inner);
        ResponseProperties.Set(response, RerankResponseProperties.ExpansionQueries, (IReadOnlyList<string>)queries);
        ResponseProperties.Set(response, RerankResponseProperties.ExpansionDroppedVariants, dropped);
        ResponseProperties.Set(response, RerankResponseProperties.ExpansionCandidates, (IReadOnlyList<RerankDocument>)candidates);
        ResponseProperties.Set(response, RerankResponseProperties.ExpansionFailures, (IReadOnlyList<QueryExpansionFailure>)failures);
        return response;
    }

    private async Task<(List<string> Variants, int Dropped)> GenerateAsync(string query, List<QueryExpansionFailure> failures, CancellationToken cancellationToken)
    {
        var variants = new List<string>();
        if (_options.MaxVariants == 0)
        {
            return (variants, 0);
        }

        IReadOnlyList<string>? generated;
        try
        {
            generated = await _generator(query, _options.MaxVariants, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            // The original query still finds candidates; expansion is an improvement, not a dependency.
            failures.Add(new QueryExpansionFailure(query, "generate", ex));
            return (variants, 0);
        }

        int dropped = 0;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { Normalize(query) };
        foreach (string? raw in generated ?? [])
        {
            string? variant = raw?.Trim();
            bool plausible = !string.IsNullOrEmpty(variant) && variant.Length <= _options.MaxVariantLength
                && variant.Any(char.IsLetterOrDigit) && !variant.Any(char.IsControl);
            if (!plausible || variants.Count == _options.MaxVariants || !seen.Add(Normalize(variant!)))
            {
                dropped++;
                continue;
            }

            variants.Add(variant!);
        }

        return (variants, dropped);
    }

    private async Task<(IReadOnlyList<RerankDocument>? Found, Exception? Error)> SearchOneAsync(string query, CancellationToken cancellationToken)
    {
        try
        {
            IReadOnlyList<RerankDocument> found = await _search(query, _options.CandidatesPerQuery, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("The first-stage search returned null; it must return a list, empty when nothing matched.");
            for (int i = 0; i < found.Count; i++)
            {
                if (found[i] is null)
                {
                    throw new InvalidOperationException($"The first-stage search returned a null document at index {i}.");
                }
            }

            return (found, null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            return (null, ex);
        }
    }

    private List<RerankDocument> Fuse(List<IReadOnlyList<RerankDocument>> lists)
    {
        var fused = new Dictionary<string, (RerankDocument First, double Score, int Order)>(StringComparer.Ordinal);
        foreach (IReadOnlyList<RerankDocument> list in lists)
        {
            // A search that ignores the count is cut to it, so one query cannot crowd out the others.
            int count = Math.Min(list.Count, _options.CandidatesPerQuery);
            for (int rank = 0; rank < count; rank++)
            {
                RerankDocument document = list[rank];
                string key = document.Id ?? document.Text;
                double contribution = 1.0 / (_options.RrfK + rank + 1);
                fused[key] = fused.TryGetValue(key, out var entry)
                    ? (entry.First, entry.Score + contribution, entry.Order)
                    : (document, contribution, fused.Count);
            }
        }

        return
        [
            .. fused.Values
                .OrderByDescending(e => e.Score)
                .ThenBy(e => e.Order)
                .Take(_options.MaxCandidates)
                .Select(e => new RerankDocument(e.First.Text) { Id = e.First.Id, Metadata = e.First.Metadata, Score = e.Score }),
        ];
    }

    private static string Normalize(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _reranker.Dispose();
        }
    }
}
