using System.Net;

namespace Rerank;

/// <summary>
/// A rerank server answered with an error status (after any retries), or could not be reached. It carries the status, the
/// provider's own message and a hint on what to do; it never carries the API key.
/// </summary>
/// <remarks>
/// 400, 401, 403 and 404 are not retried: they fail at once. 408, 429 and 5xx reach the caller only after the configured retries.
/// <see cref="HttpRequestException.StatusCode"/> is <see langword="null"/> when no response arrived (connection refused or reset,
/// a body cut short).
/// </remarks>
public sealed class RerankHttpException : HttpRequestException
{
    /// <summary>Initializes a new instance of the <see cref="RerankHttpException"/> class.</summary>
    /// <param name="message">The whole message: what failed, the provider's message and the hint.</param>
    /// <param name="statusCode">The HTTP status, or <see langword="null"/> when no response arrived.</param>
    /// <param name="providerMessage">The error message the server sent, with any API key removed.</param>
    /// <param name="hint">What the caller can do about it.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public RerankHttpException(string message, HttpStatusCode? statusCode, string? providerMessage, string hint, Exception? innerException = null)
        : base(HttpRequestError.Unknown, message, innerException, statusCode)
    {
        ProviderMessage = providerMessage;
        Hint = hint;
    }

    /// <summary>Gets the error message the server sent (its JSON <c>message</c> or <c>detail</c>, or an HTML page's title), if any.</summary>
    public string? ProviderMessage { get; }

    /// <summary>Gets what the caller can do about the failure.</summary>
    public string Hint { get; }

    /// <summary>Gets the name of the dialect that was spoken, such as <c>cohere</c> or <c>tei</c>.</summary>
    public string? ProviderName { get; init; }

    /// <summary>Gets the address the request was sent to.</summary>
    public Uri? RequestUri { get; init; }

    /// <summary>Gets how long the server asked to wait (<c>Retry-After</c>) before trying again, if it said.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
