using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Rerank.Onnx.Tests.Hub;

/// <summary>
/// A Hugging Face Hub on 127.0.0.1 (Kestrel, port 0), answering as the real one does:
/// <c>HEAD/GET /{repo}/resolve/{revision}/{path}</c> with <c>X-Repo-Commit</c> and a Git-SHA-1 <c>ETag</c> for small files,
/// a 302 to a "CDN" with <c>X-Linked-Etag</c> (SHA-256) and <c>X-Linked-Size</c> for LFS files, Range requests,
/// <c>X-Error-Code</c> on 401/403/404, and relative redirects for renamed repositories. The CDN is the same server
/// reached as <c>localhost</c> (another host, so a client must not send it the token) or, optionally, a path on the
/// same host. Faults can be switched on: a connection dropped mid-body, a size that lies, a Range ignored, a gate that
/// holds a body half-sent.
/// </summary>
internal sealed class HubTestServer : IAsyncDisposable
{
    private const int ChunkSize = 8192;
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, HubTestRepo> _repos = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _renamed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, HubTestFile> _cdn = new(StringComparer.Ordinal);
    private int _dropsRemaining;

    private static readonly ConcurrentBag<Socket> HeldPorts = [];
    private int _gateArmed;

    private HubTestServer(WebApplication app) => _app = app;

    /// <summary>Gets the Hub's address, <c>http://127.0.0.1:{port}</c>.</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Gets every request received, in order.</summary>
    public ConcurrentQueue<HubTestRequest> Requests { get; } = new();

    /// <summary>Gets or sets the token that opens private and gated repositories.</summary>
    public string? ValidToken { get; set; }

    /// <summary>Gets or sets a value indicating whether LFS files redirect to <c>/cdn/...</c> on the same host instead of <c>localhost</c>.</summary>
    public bool CdnOnSameHost { get; set; }

    /// <summary>Gets or sets a value indicating whether Range headers are ignored (the whole file is sent with 200).</summary>
    public bool IgnoreRange { get; set; }

    /// <summary>Gets or sets a value indicating whether content is sent chunked, without Content-Length.</summary>
    public bool Chunked { get; set; }

    /// <summary>Gets or sets a value indicating whether ETags are sent weak (<c>W/"..."</c>).</summary>
    public bool WeakEtags { get; set; }

    /// <summary>Gets or sets a replacement for the bytes a content GET sends (the announced size and hash stay those of the real file).</summary>
    public Func<string, byte[], byte[]>? ContentOverride { get; set; }

    /// <summary>Gets or sets a replacement for the commit hash and ETag sent (for hostile-server tests).</summary>
    public string? HostileName { get; set; }

    /// <summary>Gets or sets a status that every metadata request answers with (for 5xx tests).</summary>
    public HttpStatusCode? MetadataStatus { get; set; }

    /// <summary>Gets or sets the bytes of a content body sent before the connection is dropped; applies to <see cref="DropConnections"/> requests.</summary>
    public int DropAfterBytes { get; set; }

    /// <summary>Gets or sets the number of content GETs that will be dropped after <see cref="DropAfterBytes"/>.</summary>
    public int DropConnections { get => Volatile.Read(ref _dropsRemaining); set => Volatile.Write(ref _dropsRemaining, value); }

    /// <summary>
    /// Gets or sets how many bytes of the file the client holds (its progress reports). A drop waits until the client holds
    /// every byte sent before it, so the break point is exact however loaded the machine is.
    /// </summary>
    public Func<long>? ClientBytesReceived { get; set; }

    /// <summary>Gets or sets a gate: the next content GET sends <see cref="GateAfterBytes"/> bytes, flushes, then waits for it.</summary>
    public TaskCompletionSource? ContentGate { get; set; }

    /// <summary>Gets or sets the bytes sent before the gate.</summary>
    public int GateAfterBytes { get; set; }

    /// <summary>Gets a task that completes when a content GET reaches the gate.</summary>
    public TaskCompletionSource GateReached { get; private set; } = NewSignal();

    public static async Task<HubTestServer> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(options => options.Listen(IPAddress.Loopback, 0));
        WebApplication app = builder.Build();
        var server = new HubTestServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        server.Endpoint = new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal));
        return server;
    }

    /// <summary>Returns an address on 127.0.0.1 where nothing listens: connections are refused at once.</summary>
    /// <remarks>
    /// The port stays bound (never listening) for the life of the test process: a port that was merely freed could be
    /// taken meanwhile by a server of another test run on the same machine, and then it would answer.
    /// </remarks>
    public static Uri UnreachableEndpoint()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        HeldPorts.Add(socket);
        return new Uri($"http://127.0.0.1:{((IPEndPoint)socket.LocalEndPoint!).Port}");
    }

    public HubTestRepo AddRepo(string repoId, bool isPrivate = false, bool gated = false)
    {
        var repo = new HubTestRepo(repoId, isPrivate, gated, file => _cdn[file.Sha256] = file);
        _repos[repoId] = repo;
        return repo;
    }

    public void Rename(string oldRepoId, string newRepoId) => _renamed[oldRepoId] = newRepoId;

    public void ArmGate(int afterBytes)
    {
        ContentGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        GateReached = NewSignal();
        GateAfterBytes = afterBytes;
        Volatile.Write(ref _gateArmed, 1);
    }

    public IReadOnlyList<HubTestRequest> ContentRequests() => [.. Requests.Where(r => r.Method == "GET")];

    public async ValueTask DisposeAsync()
    {
        ContentGate?.TrySetResult();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task HandleAsync(HttpContext context)
    {
        string raw = context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
        string path = raw.Split('?')[0];
        string? authorization = context.Request.Headers.Authorization.Count > 0 ? context.Request.Headers.Authorization.ToString() : null;
        string? range = context.Request.Headers.Range.Count > 0 ? context.Request.Headers.Range.ToString() : null;
        Requests.Enqueue(new HubTestRequest(context.Request.Method, context.Request.Host.Host, path, authorization, range));

        if (path.StartsWith("/cdn/", StringComparison.Ordinal))
        {
            if (_cdn.TryGetValue(path["/cdn/".Length..], out HubTestFile? blob))
            {
                await SendContentAsync(context, blob);
            }
            else
            {
                context.Response.StatusCode = 404;
            }

            return;
        }

        string[] segments = path.Trim('/').Split('/');
        int resolve = Array.IndexOf(segments, "resolve");
        if (resolve is < 1 or > 2 || segments.Length < resolve + 3)
        {
            context.Response.StatusCode = 404;
            return;
        }

        string repoId = string.Join('/', segments[..resolve].Select(Uri.UnescapeDataString));
        string revision = Uri.UnescapeDataString(segments[resolve + 1]);
        string filePath = string.Join('/', segments[(resolve + 2)..].Select(Uri.UnescapeDataString));

        if (_renamed.TryGetValue(repoId, out string? newId))
        {
            context.Response.StatusCode = 307;
            context.Response.Headers.Location = "/" + newId + "/" + string.Join('/', segments[resolve..]);
            return;
        }

        if (MetadataStatus is HttpStatusCode forced)
        {
            context.Response.StatusCode = (int)forced;
            return;
        }

        bool tokenOk = ValidToken is not null && authorization == "Bearer " + ValidToken;
        if (!_repos.TryGetValue(repoId, out HubTestRepo? repo) || (repo.Private && !tokenOk))
        {
            // As the Hub does: without a valid token, a missing repository and a private one look the same (401).
            Error(context, tokenOk ? 404 : 401, "RepoNotFound", "Repository not found");
            return;
        }

        if (repo.Gated && !tokenOk)
        {
            Error(context, authorization is null ? 401 : 403, "GatedRepo", $"Access to model {repoId} is restricted and you are not in the authorized list.");
            return;
        }

        if (repo.ResolveCommit(revision) is not string commit)
        {
            Error(context, 404, "RevisionNotFound", $"Invalid rev id: {revision}");
            return;
        }

        string commitHeader = HostileName ?? commit;
        if (!repo.Commits[commit].TryGetValue(filePath, out HubTestFile? file))
        {
            context.Response.Headers["X-Repo-Commit"] = commitHeader;
            Error(context, 404, "EntryNotFound", $"{filePath} does not exist on \"{revision}\"");
            return;
        }

        context.Response.Headers["X-Repo-Commit"] = commitHeader;
        if (file.Lfs)
        {
            context.Response.StatusCode = 302;
            context.Response.Headers["X-Linked-Etag"] = Quote(HostileName ?? file.Sha256);
            context.Response.Headers["X-Linked-Size"] = (file.AnnouncedSize ?? file.Content.Length).ToString(CultureInfo.InvariantCulture);
            context.Response.Headers.ETag = Quote(file.PointerSha1);
            context.Response.Headers.Location = CdnOnSameHost
                ? $"/cdn/{file.Sha256}?X-Amz-Signature=test"
                : $"http://localhost:{Endpoint.Port}/cdn/{file.Sha256}?X-Amz-Signature=test";
            return;
        }

        context.Response.Headers.ETag = Quote(HostileName ?? file.GitSha1);
        await SendContentAsync(context, file);
    }

    private async Task SendContentAsync(HttpContext context, HubTestFile file)
    {
        byte[] content = ContentOverride?.Invoke(file.Path, file.Content) ?? file.Content;
        context.Response.Headers.AcceptRanges = "bytes";
        long start = 0;
        if (!IgnoreRange && context.Request.Headers.Range.ToString() is { Length: > 0 } range && range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-'))
        {
            start = long.Parse(range["bytes=".Length..^1], CultureInfo.InvariantCulture);
            if (start >= content.Length)
            {
                context.Response.StatusCode = 416;
                context.Response.Headers.ContentRange = $"bytes */{content.Length}";
                return;
            }

            context.Response.StatusCode = 206;
            context.Response.Headers.ContentRange = $"bytes {start}-{content.Length - 1}/{content.Length}";
        }

        if (!Chunked)
        {
            context.Response.ContentLength = content.Length - start;
        }

        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        bool drop = DropAfterBytes > 0 && Interlocked.Decrement(ref _dropsRemaining) >= 0;
        bool gate = Interlocked.Exchange(ref _gateArmed, 0) == 1;
        int sent = 0;
        for (long offset = start; offset < content.Length;)
        {
            int count = (int)Math.Min(ChunkSize, content.Length - offset);
            if (drop && sent + count > DropAfterBytes)
            {
                await context.Response.Body.WriteAsync(content.AsMemory((int)offset, DropAfterBytes - sent));
                await context.Response.Body.FlushAsync();

                // Abort discards what is still in Kestrel's output pipe (and the socket's): wait until the client reports
                // that it holds every byte sent, so it really holds start + DropAfterBytes bytes when the connection breaks.
                // A fixed sleep here was a race on a loaded machine.
                await WaitForClientAsync(start + DropAfterBytes, context.RequestAborted);
                context.Abort();
                return;
            }

            if (gate && sent + count > GateAfterBytes)
            {
                await context.Response.Body.WriteAsync(content.AsMemory((int)offset, GateAfterBytes - sent));
                await context.Response.Body.FlushAsync();
                offset += GateAfterBytes - sent;
                sent = GateAfterBytes;
                GateReached.TrySetResult();
                await ContentGate!.Task.WaitAsync(context.RequestAborted);
                gate = false;
                continue;
            }

            await context.Response.Body.WriteAsync(content.AsMemory((int)offset, count), context.RequestAborted);
            offset += count;
            sent += count;
        }
    }

    private static void Error(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.Headers["X-Error-Code"] = code;
        context.Response.Headers["X-Error-Message"] = message;
    }

    private string Quote(string value) => WeakEtags ? $"W/\"{value}\"" : $"\"{value}\"";

    private async Task WaitForClientAsync(long bytes, CancellationToken cancellationToken)
    {
        Func<long> received = ClientBytesReceived ?? throw new InvalidOperationException("A test that sets DropAfterBytes must set ClientBytesReceived.");
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(TimeSpan.FromSeconds(60));
        while (received() < bytes)
        {
            // Past the bound the drop happens anyway, and the test's byte counts then fail loudly.
            try
            {
                await Task.Delay(5, bound.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
