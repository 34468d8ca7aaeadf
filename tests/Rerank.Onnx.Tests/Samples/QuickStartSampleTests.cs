using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;
using Rerank.Onnx.Tests.Hub;

namespace Rerank.Onnx.Tests.Samples;

/// <summary>
/// Runs samples/QuickStart as a user would (<c>dotnet QuickStart.dll ...</c>, a child process) with an environment that
/// holds no HF_* or RERANK_* variable of this machine, and checks what it prints and its exit code.
/// </summary>
public sealed partial class QuickStartSampleTests : HubTestBase
{
    private const string SampleRepo = "cross-encoder/ms-marco-MiniLM-L-6-v2";

    private static string FixtureFolder => Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "tiny-bert-cross-encoder");

    [Test]
    public async Task Offline_WithoutModel_SaysSo_ShowsHowToPointAtAModel_AndRunsTheFallback()
    {
        SampleRun run = await RunSampleAsync([], ("HF_HUB_OFFLINE", "1"));

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Output, Does.Contain("offline mode is on and the model is not in the Hugging Face cache").And.Contain(CacheDirectory));
        Assert.That(run.Output, Does.Contain("with HF_HUB_OFFLINE unset"), "the variable that is set is the one to unset");
        Assert.That(run.Output, Does.Contain("--model /path/to/ms-marco-MiniLM-L-6-v2").And.Contain("RERANK_MODEL_DIR="));
        Assert.That(run.Output, Does.Contain("LEXICAL FALLBACK").And.Contain("Reranker: bm25"));
        Assert.That(run.RankedIndexes, Has.Length.EqualTo(5));
        Assert.That(run.RankedIndexes[0], Is.EqualTo(2), "the composting passage comes first even lexically");
        Assert.That(run.RankedIndexes[^1], Is.EqualTo(0), "the plastic passage shares no query word");
    }

    [Test]
    public async Task UnreachableHub_FallsBackQuickly_WithExitCodeZero()
    {
        SampleRun run = await RunSampleAsync([], ("HF_ENDPOINT", HubTestServer.UnreachableEndpoint().ToString()));

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Output, Does.Contain("could not be reached").And.Contain("Connection refused").And.Contain("LEXICAL FALLBACK"));
    }

    [Test]
    public async Task OfflineFlag_NeverContactsTheHub()
    {
        Server.AddRepo(SampleRepo).Commit(CrossEncoderFiles());

        SampleRun run = await RunSampleAsync(["--offline"], ("HF_ENDPOINT", Server.Endpoint.ToString()));

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Output, Does.Contain("offline mode is on (--offline)").And.Contain("run once without --offline"));
        Assert.That(run.Output, Does.Not.Contain("HF_HUB_OFFLINE unset").And.Not.Contain("unset HF_HUB_OFFLINE"), "the user passed a flag, not a variable");
        Assert.That(Server.Requests, Is.Empty);
    }

    [Test]
    public async Task ModelArgument_LoadsTheFixtureFolder()
    {
        SampleRun run = await RunSampleAsync(["--model", FixtureFolder]);

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Output, Does.Contain("Reranker: tiny-bert-cross-encoder (ONNX Runtime,").And.Not.Contain("FALLBACK"));
        Assert.That(run.Output, Does.Contain("TEST FIXTURE with RANDOM WEIGHTS"), "a newcomer must not read the fixture's order as a ranking");
        Assert.That(run.RankedIndexes, Is.EquivalentTo(new[] { 0, 1, 2, 3, 4 }));
    }

    [Test]
    public async Task ModelDirectoryVariable_LoadsTheFixtureFolder()
    {
        SampleRun run = await RunSampleAsync([], ("RERANK_MODEL_DIR", FixtureFolder));

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Output, Does.Contain("Reranker: tiny-bert-cross-encoder (ONNX Runtime,"));
    }

    [Test]
    public async Task ModelArgument_NamingAMissingFolder_FailsWithTheFolderNamed()
    {
        string missing = Path.Combine(CacheDirectory, "no-such-model");

        SampleRun run = await RunSampleAsync([$"--model={missing}"]);

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(run.Error, Does.Contain(missing));
    }

    [Test]
    public async Task UnknownArgument_PrintsUsage_WithExitCodeTwo()
    {
        SampleRun run = await RunSampleAsync(["--modle", "x"]);

        Assert.That(run.ExitCode, Is.EqualTo(2));
        Assert.That(run.Error, Does.Contain("Usage: QuickStart [--model DIR] [--offline]"));
    }

    [Test]
    public async Task FromTheHub_DownloadsWithProgress_ThenRunsFromTheCache()
    {
        // The test Hub serves the tiny fixture under the sample's repository id.
        Server.AddRepo(SampleRepo).Commit(Directory.GetFiles(FixtureFolder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(FixtureFolder, f).Replace(Path.DirectorySeparatorChar, '/'), File.ReadAllBytes));

        SampleRun first = await RunSampleAsync([], ("HF_ENDPOINT", Server.Endpoint.ToString()));
        int requests = Server.Requests.Count;
        SampleRun second = await RunSampleAsync([], ("HF_ENDPOINT", Server.Endpoint.ToString()));

        Assert.That(first.ExitCode, Is.Zero, first.ToString());
        Assert.That(first.Output, Does.Contain("downloaded onnx/model.onnx").And.Contain("Reranker: " + SampleRepo + " (ONNX Runtime,"));
        Assert.That(second.ExitCode, Is.Zero, second.ToString());
        Assert.That(second.Output, Does.Not.Contain("downloaded"));
        Assert.That(second.RankedIndexes, Is.EqualTo(first.RankedIndexes));
        Assert.That(Server.Requests, Has.Count.EqualTo(requests), "the second run finds the model in the cache without a request");
    }

    private async Task<SampleRun> RunSampleAsync(string[] arguments, params (string Name, string Value)[] environment)
    {
        string sample = typeof(QuickStartSampleTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "QuickStartPath").Value!;
        Assert.That(File.Exists(sample), Is.True, $"The QuickStart sample is not built at {sample}.");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.ArgumentList.Add(sample);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("HF_", StringComparison.Ordinal) || k.StartsWith("RERANK_", StringComparison.Ordinal) || k is "TRANSFORMERS_OFFLINE" or "HUGGING_FACE_HUB_TOKEN").ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["HF_HUB_CACHE"] = CacheDirectory;
        start.Environment["HF_HOME"] = Path.Combine(CacheDirectory, "hf-home");
        foreach ((string name, string value) in environment)
        {
            start.Environment[name] = value;
        }

        using Process process = Process.Start(start)!;
        process.StandardInput.Close();
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new SampleRun(process.ExitCode, await output, await error);
    }

    // The sample prints scores in the machine's culture (0.1234 or 0,1234): the test must pass under either.
    [GeneratedRegex(@"^\s+-?\d+[.,]\d{4}\s+\[(\d)\]", RegexOptions.Multiline)]
    private static partial Regex ResultLine();

    private sealed record SampleRun(int ExitCode, string Output, string Error)
    {
        public int[] RankedIndexes => [.. ResultLine().Matches(Output).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))];

        public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Output}\n--- stderr ---\n{Error}";
    }
}
