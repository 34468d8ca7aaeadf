using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rerank.AspNetCore;
using Rerank.Testing;

namespace Rerank.AspNetCore.Tests;

/// <summary>
/// A real Kestrel server on 127.0.0.1 (an ephemeral port) serving <c>MapRerankEndpoints</c> over a <see cref="TestReranker"/>
/// named <see cref="ModelName"/> (the default) and BM25 named <c>bm25</c>.
/// </summary>
internal sealed class LoopbackRerankServer : IAsyncDisposable
{
    public const string ModelName = "test-model";

    private readonly WebApplication _app;

    private LoopbackRerankServer(WebApplication app, TestReranker reranker)
    {
        _app = app;
        Reranker = reranker;
        BaseAddress = new Uri(app.Urls.Single().TrimEnd('/') + "/");
        Client = new HttpClient { BaseAddress = BaseAddress };
    }

    /// <summary>Gets the reranker behind <see cref="ModelName"/>, to compare with in-process calls and count backend calls.</summary>
    public TestReranker Reranker { get; }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<LoopbackRerankServer> StartAsync(
        Action<RerankServerOptions>? limits = null,
        Action<IServiceCollection>? services = null,
        TestReranker? reranker = null,
        Action<RerankerBuilder>? pipeline = null)
    {
        reranker ??= new TestReranker();
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddRerankServer(limits);
        IRerankingBuilder reranking = builder.Services.AddReranking(o => o.Default = ModelName);
        RerankerBuilder served = reranking.AddReranker(ModelName, reranker);
        pipeline?.Invoke(served);
        reranking.AddBm25("bm25");
        services?.Invoke(builder.Services);
        WebApplication app = builder.Build();
        app.MapRerankEndpoints();
        await app.StartAsync().ConfigureAwait(false);
        return new LoopbackRerankServer(app, reranker);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
