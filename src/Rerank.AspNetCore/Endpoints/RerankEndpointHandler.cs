using System.Buffers;
using System.Diagnostics;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Rerank.AspNetCore;

/// <summary>
/// Serves one wire format: reads the body within the limits, parses and checks it, asks the named reranker with the request's
/// cancellation (a client that goes away cancels the work) and writes the answer, or the format's error shape; never a stack trace.
/// </summary>
internal sealed class RerankEndpointHandler
{
    // Relaxed escaping keeps non-ASCII documents readable and the body small; the response is JSON, never embedded in HTML.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly RerankWireFormat _format;
    private readonly IServiceProvider _services;
    private readonly ILogger _logger;
    private RerankerResolver? _resolver;

    public RerankEndpointHandler(RerankWireFormat format, IServiceProvider services)
    {
        _format = format;
        _services = services;
        _logger = services.GetService<ILoggerFactory>()?.CreateLogger("Rerank.AspNetCore.RerankEndpoints") ?? NullLogger.Instance;
    }

    public async Task HandleAsync(HttpContext context)
    {
        CancellationToken cancellationToken = context.RequestAborted;
        RerankServerOptions options = _services.GetService<IOptions<RerankServerOptions>>()?.Value ?? new RerankServerOptions();
        string? model = null;
        try
        {
            ReadOnlyMemory<byte> body = await RequestBodyReader.ReadAsync(context.Request, options.MaxRequestBytes, cancellationToken).ConfigureAwait(false);
            RerankWireRequest request = Parse(body, options);
            model = request.Model;

            // Resolved on first use rather than at mapping time: the provider is registered by then, and may build lazily.
            _resolver ??= new RerankerResolver(_services);
            (IReranker reranker, string name) = _resolver.Resolve(request.Model);
            model = name;

            var rerankOptions = new RerankOptions { TopN = request.TopN, MaxTokensPerDocument = request.MaxTokensPerDocument };
            long started = Stopwatch.GetTimestamp();
            RerankResponse response = await reranker.RerankAsync(
                request.Query, request.Documents.Select(RerankDocument.FromString), rerankOptions, cancellationToken).ConfigureAwait(false);
            Log.Served(_logger, _format.Name, name, request.Documents.Length, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);

            var buffer = new ArrayBufferWriter<byte>(256 + (response.Results.Count * 48));
            using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            {
                _format.WriteResponse(writer, context.Response, request, response, name);
            }

            await WriteAsync(context, StatusCodes.Status200OK, buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (RerankRequestException e)
        {
            Log.Refused(_logger, _format.Name, e.StatusCode, e.Message);
            await WriteErrorAsync(context, e, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client is gone: nobody is there to read an answer.
            Log.Aborted(_logger, _format.Name);
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel's own refusals while the body was read (a slow client under MinRequestBodyDataRate, a bad chunk).
            var error = new RerankRequestException(e.StatusCode, "The request body could not be read: " + e.Message, "Validation");
            Log.Refused(_logger, _format.Name, e.StatusCode, error.Message);
            await WriteErrorAsync(context, error, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Log.Failed(_logger, e, _format.Name, model);
            var error = new RerankRequestException(StatusCodes.Status500InternalServerError, "The reranker failed; the server's log has the details.", "Backend");
            await WriteErrorAsync(context, error, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task WriteAsync(HttpContext context, int statusCode, ArrayBufferWriter<byte> buffer, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = buffer.WrittenCount;
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
    }

    private RerankWireRequest Parse(ReadOnlyMemory<byte> body, RerankServerOptions options)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = options.MaxJsonDepth });
        }
        catch (JsonException e)
        {
            throw RerankRequestException.Malformed("The body is not valid JSON: " + e.Message);
        }

        using (document)
        {
            return _format.ReadRequest(document.RootElement, options);
        }
    }

    private async Task WriteErrorAsync(HttpContext context, RerankRequestException error, CancellationToken cancellationToken)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.Headers.Remove(RerankWire.Tei.ComputeTokensHeader);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            _format.WriteError(writer, error);
        }

        try
        {
            await WriteAsync(context, error.StatusCode, buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Log.Aborted(_logger, _format.Name);
        }
    }
}
