using System.Diagnostics;
using System.Text.Json;

namespace Rerank.AspNetCore.Tests;

/// <summary>
/// The official Cohere TypeScript SDK (<c>cohere-ai</c>'s <c>CohereClientV2</c>, run by Node with its <c>environment</c> set to the
/// loopback server): <c>rerank()</c> returns the in-process results. This proves the wire format against code we did not write.
/// Needs <c>node</c> and <c>npm ci --ignore-scripts</c> in <c>tests/Rerank.AspNetCore.Tests/CohereSdk</c>; without them the test
/// fails under CI (<c>CI=true</c>) and is skipped loudly elsewhere.
/// </summary>
public sealed class CohereSdkTests
{
    [TestCase(null)]
    [TestCase(2)]
    public async Task The_official_typescript_sdk_gets_the_in_process_results(int? topN)
    {
        string folder = RequireSdk();
        await using LoopbackRerankServer server = await LoopbackRerankServer.StartAsync();
        string[] documents = ["plants make energy from sunlight", "the stock market fell", "sunlight on green plants", "bread recipes"];
        const string Query = "plants sunlight";

        string output = await RunNodeAsync(folder, JsonSerializer.Serialize(new
        {
            environment = server.BaseAddress.ToString().TrimEnd('/'),
            token = "unused",
            model = LoopbackRerankServer.ModelName,
            query = Query,
            documents,
            topN,
        }));
        RerankResponse local = await server.Reranker.RerankAsync(Query, documents.Select(RerankDocument.FromString), new RerankOptions { TopN = topN });

        using JsonDocument sdk = JsonDocument.Parse(output);
        (int, double)[] results = [.. sdk.RootElement.GetProperty("results").EnumerateArray()
            .Select(r => (r.GetProperty("index").GetInt32(), r.GetProperty("relevanceScore").GetDouble()))];
        Assert.That(results, Is.EqualTo(local.Results.Select(r => (r.Index, r.Score))));
        Assert.That(sdk.RootElement.GetProperty("meta").GetProperty("apiVersion").GetProperty("version").GetString(), Is.EqualTo("2"));
    }

    private static async Task<string> RunNodeAsync(string folder, string input)
    {
        var start = new ProcessStartInfo("node", "rerank.js")
        {
            WorkingDirectory = folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using Process process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();

        // A bound on a hung process, not a performance assertion.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        Assert.That(process.ExitCode, Is.Zero, "The Cohere SDK failed: " + await stderr);
        return await stdout;
    }

    private static string RequireSdk()
    {
        string? folder = null;
        for (var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "tests", "Rerank.AspNetCore.Tests", "CohereSdk");
            if (File.Exists(Path.Combine(candidate, "rerank.js")))
            {
                folder = candidate;
                break;
            }
        }

        string? missing = folder is null ? "the CohereSdk folder was not found above the test directory"
            : !OnPath("node") ? "node is not on PATH"
            : !Directory.Exists(Path.Combine(folder, "node_modules", "cohere-ai")) ? $"cohere-ai is not installed: run `npm ci --ignore-scripts` in {folder}"
            : null;
        if (missing is not null)
        {
            string reason = "*** COHERE SDK TEST NOT RUN: " + missing + ". ***";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail(reason + " CI=true, so this is a failure.");
            }

            Assert.Ignore(reason);
        }

        return folder!;
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Any(directory => File.Exists(Path.Combine(directory, program)));
}
