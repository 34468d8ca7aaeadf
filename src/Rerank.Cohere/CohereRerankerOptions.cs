namespace Rerank;

/// <summary>Settings of a <see cref="CohereReranker"/>: where to send requests, which dialect to speak, the key, the model, limits and resilience.</summary>
/// <remarks>
/// <para>
/// Every property can be bound from configuration, e.g. the section <c>"Reranking": { "Cohere": { ... } }</c> (see
/// <see cref="DefaultConfigurationSectionPath"/>). A <see langword="null"/> property means "use the dialect's default".
/// </para>
/// <para>
/// The reranker copies the settings when it is created; changing the options afterwards does not affect it. The API key is
/// never written to an exception message or a log line.
/// </para>
/// </remarks>
public sealed class CohereRerankerOptions
{
    /// <summary>The configuration section that <c>services.AddCohereReranker()</c> binds when no other is given: <c>Reranking:Cohere</c>.</summary>
    public const string DefaultConfigurationSectionPath = "Reranking:Cohere";

    /// <summary>Gets or sets the API dialect: Cohere's own, or that of a Cohere-compatible server.</summary>
    /// <value>Defaults to <see cref="RerankApiDialect.Cohere"/>.</value>
    public RerankApiDialect Dialect { get; set; } = RerankApiDialect.Cohere;

    /// <summary>Gets or sets the API key, sent as <c>Authorization: Bearer</c>.</summary>
    /// <value>
    /// <see langword="null"/> (the default) reads the dialect's environment variable: <c>CO_API_KEY</c> for Cohere,
    /// <c>JINA_API_KEY</c> for Jina, <c>VOYAGE_API_KEY</c> for Voyage. Self-hosted servers (TEI, Infinity, vLLM) need no key;
    /// when none is set, no <c>Authorization</c> header is sent. A key is required for a cloud dialect at its default endpoint.
    /// </value>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets the server's base address; the dialect's path (or <see cref="Path"/>) is appended to it.</summary>
    /// <value>
    /// <see langword="null"/> (the default) uses the dialect's cloud endpoint: <c>https://api.cohere.com</c>,
    /// <c>https://api.jina.ai</c>, <c>https://api.voyageai.com</c>. Required for TEI, Infinity and vLLM. A base address with a path
    /// (a gateway such as <c>https://gateway.example.com/cohere</c>) keeps its path.
    /// </value>
    public Uri? Endpoint { get; set; }

    /// <summary>Gets or sets the path of the rerank operation, relative to <see cref="Endpoint"/>.</summary>
    /// <value>
    /// <see langword="null"/> (the default) uses the dialect's path: <c>v2/rerank</c> (Cohere, vLLM), <c>v1/rerank</c> (Jina, Voyage),
    /// <c>rerank</c> (TEI, Infinity). A relative path without a query string: like <see cref="Endpoint"/>, it must not carry a key.
    /// </value>
    public string? Path { get; set; }

    /// <summary>Gets or sets the model used when <see cref="RerankOptions.ModelId"/> is not set.</summary>
    /// <value>
    /// <see langword="null"/> (the default) uses the dialect's default: <c>rerank-v3.5</c> (Cohere),
    /// <c>jina-reranker-v2-base-multilingual</c> (Jina), <c>rerank-2.5</c> (Voyage). For TEI no model is sent (the server serves
    /// one); for Infinity and vLLM the field is left out, so the server uses the model it serves.
    /// </value>
    public string? ModelId { get; set; }

    /// <summary>Gets or sets the most tokens of each document the server considers (Cohere's <c>max_tokens_per_doc</c>), when <see cref="RerankOptions.MaxTokensPerDocument"/> is not set.</summary>
    /// <value>
    /// <see langword="null"/> (the default) leaves it to the server (Cohere: 4,096). Only the Cohere dialect sends it; the other
    /// servers truncate by their own rules.
    /// </value>
    public int? MaxTokensPerDocument { get; set; }

    /// <summary>Gets or sets the most documents one request may carry; a call with more is split into several requests whose results are merged.</summary>
    /// <value>
    /// <see langword="null"/> (the default) uses the dialect's limit: 1,000 for Cohere, Jina, Voyage and vLLM; 32 for TEI (its
    /// default <c>--max-client-batch-size</c>); 2,048 for Infinity. At least 1.
    /// </value>
    public int? MaxDocumentsPerRequest { get; set; }

    /// <summary>Gets or sets how many of the requests of one split call may be in flight at once.</summary>
    /// <value>Defaults to 4. At least 1.</value>
    public int MaxConcurrentRequests { get; set; } = 4;

    /// <summary>Gets or sets the time one HTTP attempt may take, from sending the request to reading the whole response body.</summary>
    /// <value>Defaults to 30 seconds. Between 10 milliseconds and one day, or <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> for none.</value>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the time one request may take in all, its retries and the waits between them included.</summary>
    /// <value>Defaults to 2 minutes. Between 10 milliseconds and one day, or <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> for none.</value>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Gets or sets how failed attempts are retried: 429 (honouring <c>Retry-After</c>), 408, 5xx, connection failures and attempt timeouts.</summary>
    /// <value>Three retries with jittered exponential backoff from one second by default.</value>
    public RerankRetryOptions Retry { get; set; } = new();
}
