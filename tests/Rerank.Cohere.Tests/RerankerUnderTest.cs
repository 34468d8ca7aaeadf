using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Rerank.Cohere.Tests.Server;

namespace Rerank.Cohere.Tests;

/// <summary>A reranker built the way <see cref="ClientMode"/> says, against a test server, with every log line captured.</summary>
internal sealed class RerankerUnderTest : IDisposable
{
    private readonly HttpClient? _httpClient;
    private readonly ServiceProvider? _services;

    private RerankerUnderTest(IReranker reranker, FakeLogCollector logs, HttpClient? httpClient, ServiceProvider? services)
    {
        Reranker = reranker;
        Logs = logs;
        _httpClient = httpClient;
        _services = services;
    }

    public IReranker Reranker { get; }

    public FakeLogCollector Logs { get; }

    public static RerankerUnderTest Create(ClientMode mode, RerankTestServer server, Action<CohereRerankerOptions>? configure = null, TimeProvider? timeProvider = null)
    {
        if (mode == ClientMode.Plain)
        {
            var logger = new FakeLogger<CohereReranker>();
            var http = new HttpClient();
            return new RerankerUnderTest(new CohereReranker(http, TestSetup.Options(server, configure), logger, timeProvider), logger.Collector, http, null);
        }

        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddFakeLogging());
        if (timeProvider is not null)
        {
            services.AddSingleton(timeProvider);
        }

        services.AddCohereReranker(options => TestSetup.Apply(options, server, configure));
        ServiceProvider provider = services.BuildServiceProvider();
        return new RerankerUnderTest(provider.GetRequiredService<IReranker>(), provider.GetFakeLogCollector(), null, provider);
    }

    /// <summary>Gets every captured log line, formatted, with its exception.</summary>
    public IEnumerable<string> LogLines() => Logs.GetSnapshot().Select(r => $"{r.Level} {r.Category} {r.Message} {r.Exception}");

    public void Dispose()
    {
        Reranker.Dispose();
        _services?.Dispose();
        _httpClient?.Dispose();
    }
}
