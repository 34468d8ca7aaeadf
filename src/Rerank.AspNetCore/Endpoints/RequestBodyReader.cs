using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Rerank.AspNetCore;

/// <summary>Reads a request body into memory, refusing it as soon as it passes the limit rather than after buffering it all.</summary>
internal static class RequestBodyReader
{
    public static async Task<ReadOnlyMemory<byte>> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength is long declared && declared > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        // Kestrel then stops reading (and answers 413 itself) at the limit, also for chunked bodies without a length.
        IHttpMaxRequestBodySizeFeature? limit = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (limit is { IsReadOnly: false })
        {
            limit.MaxRequestBodySize = maxBytes;
        }

        byte[] buffer = new byte[(int)Math.Min(request.ContentLength ?? 16 * 1024, maxBytes) + 1];
        int length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length > maxBytes)
                {
                    throw TooLarge(maxBytes);
                }

                Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 2, maxBytes + 1L));
            }

            int read;
            try
            {
                read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                throw TooLarge(maxBytes);
            }

            if (read == 0)
            {
                break;
            }

            length += read;
        }

        if (length > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        return buffer.AsMemory(0, length);
    }

    private static RerankRequestException TooLarge(int maxBytes) =>
        RerankRequestException.TooLarge($"The request body is larger than this server's limit of {maxBytes} bytes.");
}
