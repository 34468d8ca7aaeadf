using System.Diagnostics;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rerank.Onnx;

namespace Rerank.Benchmarks.Serving;

/// <summary>
/// <c>dotnet run -c Release --project benchmarks/Rerank.Benchmarks -- bench-serve [--requests-per-client N] [--clients 1,4,16,64] [--coalescing-first]</c>:
/// a bounded load generator on loopback. Kestrel serves <c>MapRerankEndpoints</c> in this process over the MiniLM-L6-H384
/// benchmark cross-encoder (under .bench/, as <c>bench</c> makes it), with and without cross-request coalescing
/// (<c>UseBatching</c>); C clients each send N Cohere-format requests of 10 passages, one after another. Prints throughput,
/// p50/p99 and errors per level, then the server's own overhead: BM25 through the server against the same BM25 in process.
/// </summary>
internal static class ServeBenchCommand
{
    private const int DocumentsPerRequest = 10;

    public static async Task<int> RunAsync(string[] args)
    {
        int perClient = args.SkipWhile(a => a != "--requests-per-client").Skip(1).Select(int.Parse).FirstOrDefault(4);
        bool coalescingFirst = args.Contains("--coalescing-first");
        int[] levels = args.SkipWhile(a => a != "--clients").Skip(1).Select(v => v.Split(',').Select(int.Parse).ToArray()).FirstOrDefault([1, 4, 16, 64]);
        string root = BenchCommand.FindRepositoryRoot();
        string modelDirectory = Path.Combine(root, ".bench", "minilm-l6-h384-cross-encoder");
        string[] passages = [.. BenchPassages.Passages.Take(DocumentsPerRequest)];
        object body = new { model = "minilm", query = BenchPassages.Query, documents = passages };

        Console.WriteLine($"machine: {Environment.ProcessorCount} logical cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}");
        Console.WriteLine($"{DocumentsPerRequest} passages per request, {perClient} requests per client, MiniLM-L6-H384 fp32 (max_length 512)");
        Console.WriteLine();
        Console.WriteLine("| coalescing | clients | requests/s | p50 ms | p99 ms | errors |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        // --coalescing-first swaps the order, to tell an order effect (machine load, warm-up) from the layer's.
        foreach (bool coalescing in coalescingFirst ? new[] { true, false } : new[] { false, true })
        {
            await using WebApplication app = await StartAsync(services => services.AddReranking(o => o.Default = "minilm")
                .AddOnnxCrossEncoder("minilm", modelDirectory)
                .Apply(b => coalescing ? b.UseBatching() : b));
            using var client = new HttpClient { BaseAddress = new Uri(app.Urls.Single() + "/") };
            await Load(client, body, clients: 1, perClient: 2); // warm-up: model load, JIT, connections
            foreach (int clients in levels)
            {
                Result result = await Load(client, body, clients, perClient);
                Console.WriteLine($"| {(coalescing ? "on" : "off")} | {clients} | {result.Throughput:F1} | {result.P50:F1} | {result.P99:F1} | {result.Errors} |");
            }
        }

        await ServerOverhead(passages);
        return 0;
    }

    private static async Task ServerOverhead(string[] passages)
    {
        const int Calls = 300;
        await using WebApplication app = await StartAsync(services => services.AddReranking(o => o.Default = "bm25").AddBm25("bm25"));
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.Single() + "/") };
        using var bm25 = new Bm25Reranker();
        object body = new { model = "bm25", query = BenchPassages.Query, documents = passages };
        await Load(client, body, clients: 1, perClient: 50);
        var inProcess = new List<double>(Calls);
        for (int i = 0; i < Calls + 50; i++)
        {
            long start = Stopwatch.GetTimestamp();
            await bm25.RerankAsync(BenchPassages.Query, passages.Select(RerankDocument.FromString)).ConfigureAwait(false);
            if (i >= 50)
            {
                inProcess.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }

        Result served = await Load(client, body, clients: 1, perClient: Calls);
        double local = Percentile(inProcess, 0.5);
        Console.WriteLine();
        Console.WriteLine($"BM25, {passages.Length} passages, {Calls} sequential calls: in process p50 {local:F3} ms; through the server (HttpClient on loopback) p50 {served.P50:F3} ms; overhead p50 {served.P50 - local:F3} ms, errors {served.Errors}");
    }

    private static async Task<WebApplication> StartAsync(Action<IServiceCollection> configure)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddRerankServer();
        configure(builder.Services);
        WebApplication app = builder.Build();
        app.MapRerankEndpoints();
        await app.StartAsync().ConfigureAwait(false);
        return app;
    }

    private static async Task<Result> Load(HttpClient client, object body, int clients, int perClient)
    {
        var latencies = new List<double>(clients * perClient);
        int errors = 0;
        long started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            for (int i = 0; i < perClient; i++)
            {
                long start = Stopwatch.GetTimestamp();
                try
                {
                    using HttpResponseMessage response = await client.PostAsJsonAsync("v2/rerank", body).ConfigureAwait(false);
                    await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                    if (!response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref errors);
                }

                lock (latencies)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
            }
        })).ConfigureAwait(false);
        double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return new Result(latencies.Count / seconds, Percentile(latencies, 0.5), Percentile(latencies, 0.99), errors);
    }

    private static double Percentile(List<double> values, double p)
    {
        double[] sorted = [.. values.Order()];
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
    }

    private static RerankerBuilder Apply(this RerankerBuilder builder, Func<RerankerBuilder, RerankerBuilder> step) => step(builder);

    private readonly record struct Result(double Throughput, double P50, double P99, int Errors);
}
