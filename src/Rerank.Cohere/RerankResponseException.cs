using System.Net;

namespace Rerank;

/// <summary>
/// A rerank server answered with a success status, but its answer is not a ranking the reranker can trust: not JSON, a wrong
/// content type, an HTML page, malformed or truncated JSON, an index out of range, a duplicate index, or too few or too many results.
/// </summary>
/// <remarks>The reranker throws rather than return a ranking that might point at the wrong documents.</remarks>
public sealed class RerankResponseException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="RerankResponseException"/> class.</summary>
    /// <param name="message">What is wrong with the response.</param>
    /// <param name="innerException">The underlying failure, such as a <see cref="System.Text.Json.JsonException"/>.</param>
    public RerankResponseException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>Gets the name of the dialect that was spoken, such as <c>cohere</c> or <c>tei</c>.</summary>
    public string? ProviderName { get; init; }

    /// <summary>Gets the address the request was sent to.</summary>
    public Uri? RequestUri { get; init; }

    /// <summary>Gets the response's HTTP status.</summary>
    public HttpStatusCode? StatusCode { get; init; }

    /// <summary>Gets the response's media type, if it had one.</summary>
    public string? ContentType { get; init; }
}
