namespace Rerank.Http;

/// <summary>Reads a response's <c>Retry-After</c> header, in either of its forms (seconds, or an HTTP date).</summary>
internal static class RetryAfter
{
    /// <summary>Gets how long the server asked to wait.</summary>
    /// <param name="response">The response.</param>
    /// <param name="timeProvider">The clock a date is measured against.</param>
    /// <returns>The wait, never negative; <see langword="null"/> when the header is absent or unreadable.</returns>
    public static TimeSpan? Get(HttpResponseMessage response, TimeProvider timeProvider)
    {
        if (response.Headers.RetryAfter is not { } header)
        {
            return null;
        }

        if (header.Delta is TimeSpan delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header.Date is DateTimeOffset date)
        {
            TimeSpan wait = date - timeProvider.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }
}
