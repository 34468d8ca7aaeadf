using Rerank.Dialects;

namespace Rerank;

/// <summary>
/// A checked, immutable copy of <see cref="CohereRerankerOptions"/> with every default resolved: what a reranker and its resilience
/// pipeline actually use. Options are checked here, when the reranker is built, not when it first sends a request.
/// </summary>
internal sealed class RerankerSettings
{
    private static readonly TimeSpan MinTimeout = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan OneDay = TimeSpan.FromDays(1);

    private RerankerSettings(RerankDialect dialect, Uri endpoint, Uri requestUri)
    {
        Dialect = dialect;
        Endpoint = endpoint;
        RequestUri = requestUri;
    }

    public RerankDialect Dialect { get; }

    public Uri Endpoint { get; }

    public Uri RequestUri { get; }

    public string? ApiKey { get; private init; }

    public string? ModelId { get; private init; }

    public int? MaxTokensPerDocument { get; private init; }

    public int MaxDocumentsPerRequest { get; private init; }

    public int MaxConcurrentRequests { get; private init; }

    public TimeSpan Timeout { get; private init; }

    public TimeSpan TotalTimeout { get; private init; }

    public int MaxRetryAttempts { get; private init; }

    public TimeSpan BaseDelay { get; private init; }

    public TimeSpan MaxDelay { get; private init; }

    public bool UseJitter { get; private init; }

    public TimeSpan MaxRetryAfter { get; private init; }

    /// <summary>Checks <paramref name="options"/> and resolves its defaults.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The settings.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is invalid or missing; the message names it and never contains the key.</exception>
    public static RerankerSettings From(CohereRerankerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Enum.IsDefined(options.Dialect))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Dialect, "CohereRerankerOptions.Dialect is not a defined RerankApiDialect.");
        }

        RerankDialect dialect = RerankDialect.For(options.Dialect);
        Uri endpoint = options.Endpoint ?? dialect.DefaultEndpoint
            ?? throw new ArgumentException(
                $"CohereRerankerOptions.Endpoint is required for the {options.Dialect} dialect: set it to the server's base address, such as http://localhost:8080.",
                nameof(options));
        if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"CohereRerankerOptions.Endpoint must be an absolute http or https address; got '{endpoint.OriginalString}'.", nameof(options));
        }

        if (!string.IsNullOrEmpty(endpoint.UserInfo) || !string.IsNullOrEmpty(endpoint.Query))
        {
            // A key in the address would end up in logs and exception messages; the key belongs in ApiKey.
            throw new ArgumentException("CohereRerankerOptions.Endpoint must not carry credentials or a query string; put the key in ApiKey.", nameof(options));
        }

        string path = (options.Path ?? dialect.DefaultPath).TrimStart('/');
        var baseUri = endpoint.AbsoluteUri.EndsWith('/') ? endpoint : new Uri(endpoint.AbsoluteUri + "/");
        var requestUri = new Uri(baseUri, path);
        if (!string.IsNullOrEmpty(requestUri.Query)
            || Uri.Compare(requestUri, baseUri, UriComponents.SchemeAndServer, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) != 0)
        {
            // The same rule as for Endpoint, which a query in Path would bypass; and an absolute Path would send the key elsewhere.
            // The value is not echoed: it may hold the very secret this guards.
            throw new ArgumentException(
                "CohereRerankerOptions.Path must be a path relative to Endpoint, without a query string or another host; put the key in ApiKey.",
                nameof(options));
        }

        string? apiKey = ResolveApiKey(options, dialect, endpoint);

        CheckPositive(options.MaxTokensPerDocument, "MaxTokensPerDocument");
        CheckPositive(options.MaxDocumentsPerRequest, "MaxDocumentsPerRequest");
        CheckPositive(options.MaxConcurrentRequests, "MaxConcurrentRequests");
        CheckTimeout(options.Timeout, "Timeout");
        CheckTimeout(options.TotalTimeout, "TotalTimeout");

        RerankRetryOptions retry = options.Retry ?? new RerankRetryOptions();
        if (retry.MaxRetryAttempts is < 0 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(options), retry.MaxRetryAttempts, "CohereRerankerOptions.Retry.MaxRetryAttempts must be between 0 and 100.");
        }

        CheckDelay(retry.BaseDelay, "Retry.BaseDelay");
        CheckDelay(retry.MaxDelay, "Retry.MaxDelay");
        CheckDelay(retry.MaxRetryAfter, "Retry.MaxRetryAfter");
        if (retry.MaxDelay < retry.BaseDelay)
        {
            throw new ArgumentOutOfRangeException(nameof(options), retry.MaxDelay, "CohereRerankerOptions.Retry.MaxDelay must not be shorter than Retry.BaseDelay.");
        }

        return new RerankerSettings(dialect, endpoint, requestUri)
        {
            ApiKey = apiKey,
            ModelId = string.IsNullOrWhiteSpace(options.ModelId) ? dialect.DefaultModelId : options.ModelId,
            MaxTokensPerDocument = options.MaxTokensPerDocument,
            MaxDocumentsPerRequest = options.MaxDocumentsPerRequest ?? dialect.DefaultMaxDocumentsPerRequest,
            MaxConcurrentRequests = options.MaxConcurrentRequests,
            Timeout = options.Timeout,
            TotalTimeout = options.TotalTimeout,
            MaxRetryAttempts = retry.MaxRetryAttempts,
            BaseDelay = retry.BaseDelay,
            MaxDelay = retry.MaxDelay,
            UseJitter = retry.UseJitter,
            MaxRetryAfter = retry.MaxRetryAfter,
        };
    }

    private static string? ResolveApiKey(CohereRerankerOptions options, RerankDialect dialect, Uri endpoint)
    {
        string? apiKey = options.ApiKey;
        if (string.IsNullOrWhiteSpace(apiKey) && dialect.ApiKeyEnvironmentVariable is string variable)
        {
            apiKey = Environment.GetEnvironmentVariable(variable);
        }

        apiKey = string.IsNullOrWhiteSpace(apiKey) ? null : apiKey.Trim();
        if (apiKey is not null && apiKey.AsSpan().ContainsAny('\r', '\n', '\0'))
        {
            throw new ArgumentException("CohereRerankerOptions.ApiKey contains a line break or a null character; check how the key was copied.", nameof(options));
        }

        if (apiKey is null && dialect.DefaultEndpoint is not null && string.Equals(dialect.DefaultEndpoint.Host, endpoint.Host, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException(
                $"No API key for {dialect.DefaultEndpoint}: set CohereRerankerOptions.ApiKey (e.g. from user secrets or configuration) or the {dialect.ApiKeyEnvironmentVariable} environment variable.",
                nameof(options));
        }

        return apiKey;
    }

    private static void CheckPositive(int? value, string name)
    {
        if (value is < 1)
        {
            throw new ArgumentOutOfRangeException("options", value, $"CohereRerankerOptions.{name} must be at least 1.");
        }
    }

    private static void CheckTimeout(TimeSpan value, string name)
    {
        if (value != System.Threading.Timeout.InfiniteTimeSpan && (value < MinTimeout || value > OneDay))
        {
            throw new ArgumentOutOfRangeException("options", value, $"CohereRerankerOptions.{name} must be between 10 ms and one day, or Timeout.InfiniteTimeSpan.");
        }
    }

    private static void CheckDelay(TimeSpan value, string name)
    {
        if (value < TimeSpan.Zero || value > OneDay)
        {
            throw new ArgumentOutOfRangeException("options", value, $"CohereRerankerOptions.{name} must be between zero and one day.");
        }
    }
}
