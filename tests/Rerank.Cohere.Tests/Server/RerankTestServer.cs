using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Rerank.Cohere.Tests.Server;

/// <summary>
/// A real Kestrel server on 127.0.0.1 speaking one rerank dialect: it checks each request as the real service would, scores with
/// <see cref="Rerank.Testing.TestReranker.Score"/>, and answers in the dialect's documented shape. Tests queue one-shot handlers
/// (<c>Enqueue</c>) to inject faults: slow answers, 429s, 500s, cut bodies, wrong content types, HTML pages.
/// </summary>
internal sealed class RerankTestServer : IAsyncDisposable
{
    private const string BodyKey = "rerank.body";
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Func<HttpContext, Task>> _oneShot = new();
    private long _requestCount;
    private long _abortedCount;
    private TaskCompletionSource _aborted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private RerankTestServer(WebApplication app, RerankApiDialect dialect, int maxDocuments, TimeProvider clock)
    {
        _app = app;
        Dialect = dialect;
        MaxDocuments = maxDocuments;
        Clock = clock;
    }

    public RerankApiDialect Dialect { get; }

    /// <summary>Gets the most documents the server accepts in one request (Cohere 1,000; TEI 32; ...).</summary>
    public int MaxDocuments { get; }

    /// <summary>Gets the clock that stamps <see cref="RecordedRequest.ReceivedAt"/>; a fake one in tests of delays.</summary>
    public TimeProvider Clock { get; }

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Gets the path the dialect is served at.</summary>
    public string Path => DialectPaths.For(Dialect);

    public long RequestCount => Interlocked.Read(ref _requestCount);

    /// <summary>Gets how many requests the client aborted while the server was still handling them.</summary>
    public long AbortedCount => Interlocked.Read(ref _abortedCount);

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Gets or sets the key the server requires as a bearer token; <see langword="null"/> accepts any request.</summary>
    public string? RequiredApiKey { get; set; }

    /// <summary>Gets or sets a handler used for every request instead of the dialect, until set back to <see langword="null"/>.</summary>
    public Func<HttpContext, Task>? Always { get; set; }

    public static async Task<RerankTestServer> StartAsync(RerankApiDialect dialect, int? maxDocuments = null, TimeProvider? clock = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        WebApplication app = builder.Build();
        var server = new RerankTestServer(app, dialect, maxDocuments ?? DialectPaths.MaxDocuments(dialect), clock ?? TimeProvider.System);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.BaseAddress = new Uri(address);
        return server;
    }

    /// <summary>Queues a handler for the next request that arrives; handlers run in order, one request each.</summary>
    public void Enqueue(Func<HttpContext, Task> handler) => _oneShot.Enqueue(handler);

    /// <summary>Queues a canned answer for the next request.</summary>
    public void Enqueue(int status, string body, string? contentType = "application/json", Action<HttpResponse>? headers = null) =>
        Enqueue(context => Respond(context, status, body, contentType, headers));

    /// <summary>Waits until the server has seen a request aborted by the client.</summary>
    public Task WaitForAbortAsync(TimeSpan timeout) => _aborted.Task.WaitAsync(timeout);

    public void Reset()
    {
        _oneShot.Clear();
        Requests.Clear();
        Always = null;
        RequiredApiKey = null;
        Interlocked.Exchange(ref _requestCount, 0);
        Interlocked.Exchange(ref _abortedCount, 0);
        _aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public static async Task Respond(HttpContext context, int status, string body, string? contentType = "application/json", Action<HttpResponse>? headers = null)
    {
        context.Response.StatusCode = status;
        if (contentType is not null)
        {
            context.Response.ContentType = contentType;
        }

        headers?.Invoke(context.Response);
        await context.Response.WriteAsync(body, context.RequestAborted);
    }

    /// <summary>Gets the request body the server already read, for handlers that answer according to it.</summary>
    public static string Body(HttpContext context) => (string)context.Items[BodyKey]!;

    /// <summary>Hangs until the client gives up; the abort is counted.</summary>
    public static Task Hang(HttpContext context) => Task.Delay(Timeout.Infinite, context.RequestAborted);

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        string body = await reader.ReadToEndAsync(context.RequestAborted);
        context.Items[BodyKey] = body;
        Requests.Enqueue(new RecordedRequest(
            context.Request.Method,
            context.Request.Path.Value ?? string.Empty,
            body,
            context.Request.ContentType,
            context.Request.Headers.Authorization.ToString() is { Length: > 0 } auth ? auth : null,
            context.Request.Headers.Accept.ToString() is { Length: > 0 } accept ? accept : null,
            Clock.GetUtcNow(),
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
        Interlocked.Increment(ref _requestCount);

        using CancellationTokenRegistration registration = context.RequestAborted.Register(() =>
        {
            Interlocked.Increment(ref _abortedCount);
            _aborted.TrySetResult();
        });

        try
        {
            if (_oneShot.TryDequeue(out Func<HttpContext, Task>? handler) || (handler = Always) is not null)
            {
                await handler(context);
                return;
            }

            await HandleDialectAsync(context, body);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
    }

    /// <summary>Answers as the dialect would; for handlers that add behaviour (a delay, a count) around the real answer.</summary>
    public Task AnswerAsync(HttpContext context) => HandleDialectAsync(context, Body(context));

    private async Task HandleDialectAsync(HttpContext context, string body)
    {
        if (context.Request.Method != "POST" || context.Request.Path != "/" + Path)
        {
            await Respond(context, 404, """{"message":"Not Found"}""");
            return;
        }

        if (RequiredApiKey is not null && context.Request.Headers.Authorization != $"Bearer {RequiredApiKey}")
        {
            await Respond(context, 401, """{"message":"invalid api token"}""");
            return;
        }

        if (!(context.Request.ContentType ?? string.Empty).StartsWith("application/json", StringComparison.Ordinal))
        {
            await Respond(context, 415, """{"message":"content type must be application/json"}""");
            return;
        }

        JsonObject request;
        try
        {
            request = JsonNode.Parse(body) as JsonObject ?? throw new FormatException("not an object");
        }
        catch (Exception ex) when (ex is FormatException or System.Text.Json.JsonException)
        {
            await Respond(context, 400, """{"message":"invalid request: body must be a JSON object"}""");
            return;
        }

        (int status, string answer, Action<HttpResponse>? headers) = DialectHandlers.Handle(Dialect, request, MaxDocuments);
        await Respond(context, status, answer, "application/json", headers);
    }
}
