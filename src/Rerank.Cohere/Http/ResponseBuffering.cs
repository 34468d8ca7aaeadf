using System.Net.Http.Headers;

namespace Rerank.Http;

/// <summary>
/// Reads a response body into memory inside the attempt that received it, so that the attempt's timeout covers a slow body and a
/// body cut short is a transport failure the retry can handle, rather than a surprise after the pipeline has finished.
/// </summary>
internal static class ResponseBuffering
{
    /// <summary>The largest body the reranker reads: far above any ranking (about 60 bytes a result), far below a hostile stream.</summary>
    public const long MaxResponseBytes = 64L * 1024 * 1024;

    /// <summary>Reads <paramref name="response"/>'s body into memory, disposing the response if that fails.</summary>
    /// <param name="response">The response.</param>
    /// <param name="cancellationToken">The attempt's token.</param>
    /// <returns>A task that completes when the body is in memory.</returns>
    /// <exception cref="HttpRequestException">The body ended early or is larger than <see cref="MaxResponseBytes"/>.</exception>
    public static async Task LoadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            if (response.Content.Headers.ContentLength is > MaxResponseBytes)
            {
                throw new HttpRequestException(
                    $"The response body is {response.Content.Headers.ContentLength} bytes, more than the {MaxResponseBytes} a ranking can need.");
            }

            await response.Content.LoadIntoBufferAsync(MaxResponseBytes, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>Gets the body's media type, or <see langword="null"/>.</summary>
    /// <param name="response">The response.</param>
    /// <returns>The media type, such as <c>application/json</c>.</returns>
    public static string? MediaType(HttpResponseMessage response) => response.Content.Headers.ContentType?.MediaType;

    /// <summary>Gets a value indicating whether <paramref name="mediaType"/> is JSON: <c>application/json</c> or <c>*/*+json</c>.</summary>
    /// <param name="mediaType">The media type.</param>
    /// <returns><see langword="true"/> for JSON.</returns>
    public static bool IsJson(string? mediaType) =>
        mediaType is not null
        && (mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    /// <summary>Creates the media type header of a request body.</summary>
    /// <returns><c>application/json</c>.</returns>
    public static MediaTypeHeaderValue JsonMediaType() => new("application/json");
}
