using System.Net;

namespace Rerank.AspNetCore.Tests;

/// <summary>A body whose length is not declared, so HttpClient sends it with chunked transfer encoding.</summary>
internal sealed class UnknownLengthContent(byte[] bytes) : HttpContent
{
    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(bytes).AsTask();

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
