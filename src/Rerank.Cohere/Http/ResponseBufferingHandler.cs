namespace Rerank.Http;

/// <summary>
/// The innermost handler of the registered <see cref="HttpClient"/>: reads each response body inside the resilience handler's
/// attempt, so that its attempt timeout and retries cover the body as well as the headers.
/// </summary>
internal sealed class ResponseBufferingHandler : DelegatingHandler
{
    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await ResponseBuffering.LoadAsync(response, cancellationToken).ConfigureAwait(false);
        return response;
    }
}
