using System.Net.Http.Headers;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Timeout;
using Rerank.Dialects;
using Rerank.Http;

namespace Rerank;

/// <summary>
/// Reranks with Cohere Rerank v2 over HTTP, or with a Cohere-compatible server (Jina, Voyage, Hugging Face TEI, Infinity, vLLM)
/// chosen by <see cref="CohereRerankerOptions.Dialect"/>.
/// </summary>
/// <remarks>
/// <para>
/// Use it with a plain <see cref="HttpClient"/> (the reranker then retries and times out by itself), or register it with
/// <c>services.AddCohereReranker()</c>, which uses <c>IHttpClientFactory</c> and puts the same resilience pipeline in the client's
/// handler chain.
/// </para>
/// <para>
/// A call with more documents than <see cref="CohereRerankerOptions.MaxDocumentsPerRequest"/> is split into several requests; their
/// results are merged with indices into the caller's input, usage is summed, and <see cref="RerankOptions.TopN"/> is applied after
/// the merge. Every response is checked (JSON, content type, index range, duplicates, count) and re-ordered by the contract's rules;
/// a response that fails a check throws <see cref="RerankResponseException"/> instead of returning a wrong ranking.
/// </para>
/// <para>The reranker is thread-safe. The API key is never written to an exception or a log line.</para>
/// </remarks>
public sealed class CohereReranker : IReranker
{
    private readonly RerankerSettings _settings;
    private readonly HttpClient? _httpClient;
    private readonly Func<HttpClient>? _httpClientFactory;
    private readonly bool _ownsHttpClient;
    private readonly ResiliencePipeline<HttpResponseMessage>? _pipeline;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly RerankerMetadata _metadata;
    private int _disposed;

    /// <summary>Initializes a new instance of the <see cref="CohereReranker"/> class with an <see cref="HttpClient"/> of its own, disposed with the reranker.</summary>
    /// <param name="options">The settings; copied, so later changes have no effect.</param>
    /// <param name="logger">Where requests, retries and failures are logged; nothing if <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is invalid, the endpoint is missing, or a cloud endpoint has no API key.</exception>
    public CohereReranker(CohereRerankerOptions options, ILogger? logger = null)
        : this(RerankerSettings.From(options), logger, TimeProvider.System)
    {
        _httpClient = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
        {
            // The resilience pipeline owns the timeouts.
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
        };
        _ownsHttpClient = true;
        _pipeline = BuildPipeline(_settings, _logger, _timeProvider);
    }

    /// <summary>Initializes a new instance of the <see cref="CohereReranker"/> class over the caller's <see cref="HttpClient"/>, which it does not dispose.</summary>
    /// <param name="httpClient">The client. Its <see cref="HttpClient.BaseAddress"/> is not used; requests go to <see cref="CohereRerankerOptions.Endpoint"/>.</param>
    /// <param name="options">The settings, copied; <see langword="null"/> for Cohere's defaults with the key from <c>CO_API_KEY</c>.</param>
    /// <param name="logger">Where requests, retries and failures are logged; nothing if <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock of retry delays and timeouts; <see cref="TimeProvider.System"/> if <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="httpClient"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is invalid, the endpoint is missing, or a cloud endpoint has no API key.</exception>
    public CohereReranker(HttpClient httpClient, CohereRerankerOptions? options = null, ILogger? logger = null, TimeProvider? timeProvider = null)
        : this(SettingsFor(httpClient, options), logger, timeProvider ?? TimeProvider.System)
    {
        _httpClient = httpClient;
        _pipeline = BuildPipeline(_settings, _logger, _timeProvider);
    }

    /// <summary>Initializes a new instance of the <see cref="CohereReranker"/> class for dependency injection: clients come from a factory whose handler chain already holds the resilience pipeline.</summary>
    /// <param name="httpClientFactory">Creates the registered client; called once per request.</param>
    /// <param name="settings">The checked settings.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="timeProvider">The clock.</param>
    internal CohereReranker(Func<HttpClient> httpClientFactory, RerankerSettings settings, ILogger? logger, TimeProvider timeProvider)
        : this(settings, logger, timeProvider)
    {
        _httpClientFactory = httpClientFactory;
    }

    private CohereReranker(RerankerSettings settings, ILogger? logger, TimeProvider timeProvider)
    {
        _settings = settings;
        _logger = logger ?? NullLogger.Instance;
        _timeProvider = timeProvider;
        _metadata = new RerankerMetadata(settings.Dialect.Name, settings.Endpoint, settings.ModelId)
        {
            ScoreSemantics = RerankScoreSemantics.Pointwise,
            ScoringFingerprint = Fingerprint(settings),
        };
    }

    /// <summary>What changes the server's scores: who scores (dialect, endpoint, model) and how much of each document it reads.</summary>
    /// <remarks>Never the key (the settings refuse an endpoint that carries credentials or a query string).</remarks>
    private static string Fingerprint(RerankerSettings settings) =>
        string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"{settings.Dialect.Name}|{settings.Endpoint}|model={settings.ModelId}|max-tokens-per-document={settings.MaxTokensPerDocument?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "default"}");

    private bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <inheritdoc />
    /// <exception cref="RerankHttpException">The server answered with an error status (after retries for 408, 429 and 5xx), or could not be reached.</exception>
    /// <exception cref="RerankResponseException">The server's answer is not a valid ranking.</exception>
    /// <exception cref="TimeoutException">An attempt or the whole request ran out of time.</exception>
    public async Task<RerankResponse> RerankAsync(
        string query,
        IEnumerable<RerankDocument> documents,
        RerankOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        IReadOnlyList<RerankDocument> list = RerankContract.ValidateArguments(query, documents, options);
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        string? modelId = options?.ModelId ?? _settings.ModelId;
        if (list.Count == 0)
        {
            return new RerankResponse([]) { ModelId = modelId };
        }

        cancellationToken.ThrowIfCancellationRequested();
        int? maxTokens = options?.MaxTokensPerDocument ?? _settings.MaxTokensPerDocument;
        int requestCount = (int)(((long)list.Count + _settings.MaxDocumentsPerRequest - 1) / _settings.MaxDocumentsPerRequest);

        Batch[] batches;
        if (requestCount == 1)
        {
            // top_n only when it trims something; a split call asks for everything and cuts after the merge.
            int? topN = options?.TopN is int n && n < list.Count && _settings.Dialect.SupportsTopN ? n : null;
            batches = [await SendBatchAsync(new DialectRequest(query, list, 0, list.Count, modelId, topN, maxTokens), cancellationToken).ConfigureAwait(false)];
        }
        else
        {
            Log.Splitting(_logger, _settings.Dialect.Name, list.Count, requestCount, _settings.MaxDocumentsPerRequest);
            batches = await SendSplitAsync(query, list, requestCount, modelId, maxTokens, cancellationToken).ConfigureAwait(false);
        }

        return Merge(list, batches, options, modelId);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Answers <see cref="RerankerMetadata"/> (provider name, endpoint, default model; pointwise scores, and a fingerprint of
    /// dialect, endpoint, model and default <see cref="CohereRerankerOptions.MaxTokensPerDocument"/>, never the key), the <see cref="HttpClient"/> requests go
    /// through, and the reranker itself.
    /// </remarks>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        return serviceType == typeof(RerankerMetadata) ? _metadata
            : serviceType == typeof(HttpClient) ? GetHttpClient()
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0 && _ownsHttpClient)
        {
            _httpClient!.Dispose();
        }
    }

    private static ResiliencePipeline<HttpResponseMessage> BuildPipeline(RerankerSettings settings, ILogger logger, TimeProvider timeProvider)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider };
        RerankResilience.Configure(builder, settings, logger);
        return builder.Build();
    }

    private HttpClient GetHttpClient() => _httpClient ?? _httpClientFactory!();

    /// <summary>Checks the client before the options, so that a missing client is reported as such and not as a missing key.</summary>
    private static RerankerSettings SettingsFor(HttpClient httpClient, CohereRerankerOptions? options)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        return RerankerSettings.From(options ?? new CohereRerankerOptions());
    }

    private async Task<Batch[]> SendSplitAsync(
        string query, IReadOnlyList<RerankDocument> list, int requestCount, string? modelId, int? maxTokens, CancellationToken cancellationToken)
    {
        var batches = new Batch[requestCount];
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var gate = new SemaphoreSlim(_settings.MaxConcurrentRequests);
        ExceptionDispatchInfo? firstFailure = null;

        // Even slices (1,000 + 1,000 + 345 becomes 782 + 782 + 781), so the slowest request is as short as it can be.
        int baseSize = list.Count / requestCount, remainder = list.Count % requestCount;
        var tasks = new Task[requestCount];
        int offset = 0;
        for (int i = 0; i < requestCount; i++)
        {
            int size = baseSize + (i < remainder ? 1 : 0);
            var request = new DialectRequest(query, list, offset, size, modelId, TopN: null, maxTokens);
            tasks[i] = RunAsync(i, request);
            offset += size;
        }

        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch
        {
            foreach (Task task in tasks)
            {
                _ = task.Exception; // observe every failure, not only the one rethrown
            }

            // Report the failure that stopped the call, not the cancellations it caused in the other requests.
            if (!cancellationToken.IsCancellationRequested && firstFailure is not null)
            {
                firstFailure.Throw();
            }

            throw;
        }

        return batches;

        async Task RunAsync(int index, DialectRequest request)
        {
            await gate.WaitAsync(failed.Token).ConfigureAwait(false);
            try
            {
                batches[index] = await SendBatchAsync(request, failed.Token).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                if (!failed.IsCancellationRequested)
                {
                    Interlocked.CompareExchange(ref firstFailure, ExceptionDispatchInfo.Capture(ex), null);
                    await failed.CancelAsync().ConfigureAwait(false);
                }

                throw;
            }
            finally
            {
                gate.Release();
            }
        }
    }

    private async Task<Batch> SendBatchAsync(DialectRequest request, CancellationToken cancellationToken)
    {
        byte[] body = _settings.Dialect.WriteRequest(request);
        Log.Sending(_logger, _settings.Dialect.Name, _settings.RequestUri, request.Count, request.ModelId, request.TopN);
        long started = _timeProvider.GetTimestamp();

        HttpResponseMessage response;
        try
        {
            response = _pipeline is null
                ? await SendOnceAsync(body, cancellationToken).ConfigureAwait(false)
                : await _pipeline.ExecuteAsync(
                    static (state, token) => new ValueTask<HttpResponseMessage>(state.Self.SendOnceAsync(state.Body, token)),
                    (Self: this, Body: body),
                    cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException ex)
        {
            string which = ex.Timeout == _settings.TotalTimeout ? "TotalTimeout" : "Timeout (per attempt)";
            throw new TimeoutException(
                $"The {_settings.Dialect.Name} rerank request to {_settings.RequestUri} did not complete within {ex.Timeout} ({which}). Raise CohereRerankerOptions.{which.Split(' ')[0]} or check the server.",
                ex);
        }
        catch (HttpRequestException ex)
        {
            throw RerankErrors.FromTransport(ex, _settings);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The caller did not cancel, so this is the HttpClient's own Timeout.
            throw new TimeoutException(
                $"The {_settings.Dialect.Name} rerank request to {_settings.RequestUri} was cancelled by the HttpClient's Timeout. Raise HttpClient.Timeout or use CohereRerankerOptions.Timeout.",
                ex);
        }

        using (response)
        {
            Log.Received(_logger, _settings.Dialect.Name, _settings.RequestUri, (int)response.StatusCode, (long)_timeProvider.GetElapsedTime(started).TotalMilliseconds);
            if (!response.IsSuccessStatusCode)
            {
                RerankHttpException failure = await RerankErrors.FromStatusAsync(response, _settings, request.ModelId, _timeProvider, cancellationToken).ConfigureAwait(false);
                Log.Failed(_logger, _settings.Dialect.Name, _settings.RequestUri, (int)response.StatusCode, failure.ProviderMessage);
                throw failure;
            }

            return await ReadBatchAsync(response, request, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<HttpResponseMessage> SendOnceAsync(byte[] body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _settings.RequestUri) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = ResponseBuffering.JsonMediaType();
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (_settings.ApiKey is string apiKey)
        {
            // Per request, never on DefaultRequestHeaders: the caller's HttpClient may be shared with other services.
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        HttpResponseMessage response = await GetHttpClient().SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);

        // Inside the attempt, so that the attempt timeout covers the body and a body cut short is retried.
        await ResponseBuffering.LoadAsync(response, cancellationToken).ConfigureAwait(false);
        return response;
    }

    private async Task<Batch> ReadBatchAsync(HttpResponseMessage response, DialectRequest request, CancellationToken cancellationToken)
    {
        string? mediaType = ResponseBuffering.MediaType(response);
        if (!ResponseBuffering.IsJson(mediaType))
        {
            string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            string? excerpt = RerankErrors.ExtractMessage(body, mediaType);
            throw RerankErrors.InvalidResponse(
                $"its content type is {(mediaType is null ? "missing" : $"'{mediaType}'")}, not application/json{(excerpt is null ? "." : $" (body: '{excerpt}').")}",
                response,
                _settings);
        }

        byte[] bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException ex)
        {
            throw RerankErrors.InvalidResponse($"its body is not valid JSON ({ex.Message})", response, _settings, ex);
        }

        using (document)
        {
            DialectResponse parsed;
            try
            {
                parsed = _settings.Dialect.ReadResponse(document.RootElement, response.Headers);
            }
            catch (FormatException ex)
            {
                throw RerankErrors.InvalidResponse(ex.Message, response, _settings, ex);
            }

            if (Check(parsed.Results, request) is string problem)
            {
                throw RerankErrors.InvalidResponse(problem, response, _settings);
            }

            foreach (string warning in parsed.Warnings ?? [])
            {
                Log.ServerWarning(_logger, _settings.Dialect.Name, _settings.RequestUri, RerankErrors.Redact(warning, _settings.ApiKey)!);
            }

            return new Batch(request.Offset, parsed, document.RootElement.Clone());
        }
    }

    /// <summary>Checks that the results are a ranking of the request's documents: indices in range, none twice, none missing.</summary>
    private static string? Check((int Index, double Score)[] results, in DialectRequest request)
    {
        var seen = new bool[request.Count];
        foreach ((int index, _) in results)
        {
            if ((uint)index >= (uint)request.Count)
            {
                return $"result index {index} is outside the {request.Count} documents sent.";
            }

            if (seen[index])
            {
                return $"index {index} appears more than once.";
            }

            seen[index] = true;
        }

        int expected = request.TopN is int topN ? Math.Min(topN, request.Count) : request.Count;
        if (results.Length != expected)
        {
            string asked = request.TopN is int n ? $"top_n {n}" : "no top_n, so one result per document";
            return $"it has {results.Length} results for {request.Count} documents ({asked}); expected {expected}.";
        }

        return null;
    }

    private RerankResponse Merge(IReadOnlyList<RerankDocument> documents, Batch[] batches, RerankOptions? options, string? modelId)
    {
        var results = new RerankResult[batches.Sum(b => b.Response.Results.Length)];
        int k = 0;
        RerankUsage? usage = null;
        List<string>? warnings = null;
        foreach (Batch batch in batches)
        {
            foreach ((int index, double score) in batch.Response.Results)
            {
                int global = batch.Offset + index;
                results[k++] = new RerankResult(global, score, documents[global]);
            }

            if (batch.Response.Usage is { } batchUsage)
            {
                (usage ??= new RerankUsage()).Add(batchUsage);
            }

            if (batch.Response.Warnings is { } batchWarnings)
            {
                (warnings ??= []).AddRange(batchWarnings.Select(w => RerankErrors.Redact(w, _settings.ApiKey)!));
            }
        }

        // The server's order is not trusted: the contract's order (score descending, ties in input order), threshold and TopN.
        var response = new RerankResponse(RerankContract.Order(results, options))
        {
            ModelId = batches[0].Response.ModelId ?? modelId,
            Usage = usage,
        };

        if (batches.Length == 1)
        {
            response.ResponseId = batches[0].Response.ResponseId;
            response.RawRepresentation = batches[0].Raw;
        }
        else
        {
            response.RawRepresentation = batches.Select(b => b.Raw).ToArray();
            (response.AdditionalProperties ??= new Dictionary<string, object?>(StringComparer.Ordinal))[RerankResponseProperties.HttpRequestCount] = batches.Length;
            string[] ids = [.. batches.Select(b => b.Response.ResponseId).OfType<string>()];
            if (ids.Length > 0)
            {
                response.AdditionalProperties[RerankResponseProperties.HttpResponseIds] = ids;
            }
        }

        if (warnings is not null)
        {
            (response.AdditionalProperties ??= new Dictionary<string, object?>(StringComparer.Ordinal))[RerankResponseProperties.HttpWarnings] = warnings.Distinct().ToArray();
        }

        if (batches[0].Response.ApiVersion is string apiVersion)
        {
            (response.AdditionalProperties ??= new Dictionary<string, object?>(StringComparer.Ordinal))[RerankResponseProperties.HttpApiVersion] = apiVersion;
        }

        return response;
    }

    /// <summary>One request's checked response, with the offset of its first document in the caller's input.</summary>
    private readonly record struct Batch(int Offset, DialectResponse Response, JsonElement Raw);
}
