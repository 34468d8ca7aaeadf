namespace Rerank;

/// <summary>How a <see cref="CohereReranker"/> retries transient failures: 408, 429, 5xx, connection failures and attempt timeouts.</summary>
/// <remarks>
/// Retries are bounded twice: by <see cref="MaxRetryAttempts"/> and by <see cref="CohereRerankerOptions.TotalTimeout"/>. A 429 or
/// 503 with a <c>Retry-After</c> header waits as long as the server asks, unless that is longer than <see cref="MaxRetryAfter"/>;
/// then the call fails at once with a <see cref="RerankHttpException"/> whose <see cref="RerankHttpException.RetryAfter"/> says
/// when to try again. 400, 401, 403, 404 and the other client errors are never retried.
/// </remarks>
public sealed class RerankRetryOptions
{
    /// <summary>Gets or sets the most retries after the first attempt.</summary>
    /// <value>Defaults to 3. Zero turns retries off. At most 100.</value>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>Gets or sets the delay before the first retry; later retries double it (exponential backoff).</summary>
    /// <value>Defaults to one second. Between zero and one day.</value>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the longest backoff delay between two attempts.</summary>
    /// <value>Defaults to 30 seconds. At least <see cref="BaseDelay"/>, at most one day.</value>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets a value indicating whether backoff delays are randomised, so that many clients do not retry in step.</summary>
    /// <value>Defaults to <see langword="true"/>.</value>
    public bool UseJitter { get; set; } = true;

    /// <summary>Gets or sets the longest <c>Retry-After</c> the reranker waits for; a server asking for longer fails the call at once.</summary>
    /// <value>Defaults to 60 seconds. Between zero and one day.</value>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);
}
