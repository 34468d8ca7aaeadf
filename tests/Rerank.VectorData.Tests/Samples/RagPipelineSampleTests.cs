using System.Diagnostics;
using System.Reflection;
using Rerank.Testing.RealModels;

namespace Rerank.VectorData.Tests.Samples;

/// <summary>Runs samples/RagPipeline end to end, offline, on the random-weight embedding fixture (no chat endpoint).</summary>
public sealed class RagPipelineSampleTests
{
    private static string Metadata(string key) => typeof(RagPipelineSampleTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    [Test]
    public async Task The_sample_runs_the_whole_pipeline_and_prints_the_prompt_it_would_send()
    {
        (int exitCode, string output, string error) = await RunAsync(["--model", Metadata("EmbeddingFixturePath"), "--query", "wings and lift"]);

        Assert.That(exitCode, Is.Zero, error);
        Assert.That(output, Does.Contain("first stage → final").And.Contain("No --chat-endpoint").And.Contain("[3] ").And.Contain("Question: wings and lift"));
    }

    [Test]
    public async Task Without_a_folder_it_loads_the_Hub_repository_from_the_Hugging_Face_cache()
    {
        // A huggingface_hub cache holding the fixture as a snapshot of sentence-transformers/all-MiniLM-L6-v2 at main.
        string cache = Path.Combine(Path.GetTempPath(), "rerank-rag-cache", Guid.NewGuid().ToString("N"));
        HubCacheFolder.Write(cache, "sentence-transformers/all-MiniLM-L6-v2", Metadata("EmbeddingFixturePath"));
        try
        {
            (int exitCode, string output, string error) = await RunAsync(["--query", "wings and lift"], ("HF_HUB_CACHE", cache), ("HF_HUB_OFFLINE", "1"));

            Assert.That(exitCode, Is.Zero, error);
            Assert.That(output, Does.Contain("Embedding model: sentence-transformers/all-MiniLM-L6-v2").And.Contain("first stage → final"));
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
        }
    }

    [Test]
    public async Task Without_a_folder_or_a_cached_model_it_says_what_to_do_and_fails()
    {
        string empty = Path.Combine(Path.GetTempPath(), "rerank-rag-cache", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(empty);

        // TMPDIR too: the sample would otherwise fall back to the all-MiniLM-L6-v2 other tests extract under $TMP.
        (int exitCode, string output, string error) = await RunAsync([], ("HF_HUB_CACHE", empty), ("HF_HUB_OFFLINE", "1"), ("TMPDIR", empty));

        Assert.That(exitCode, Is.EqualTo(1));
        Assert.That(error, Does.Contain("No embedding model: Offline mode is on").And.Contain("--model DIR"));
        Assert.That(output, Is.Empty);
    }

    [Test]
    public async Task Offline_and_without_the_model_cached_it_uses_the_all_MiniLM_L6_v2_the_test_suite_extracts()
    {
        string extracted = Rerank.Testing.RealModels.AllMiniLmL6V2.GetModelDirectory();
        string empty = Path.Combine(Path.GetTempPath(), "rerank-rag-cache", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(empty);

        (int exitCode, string output, string error) = await RunAsync(["--query", "How do wings produce lift?"], ("HF_HUB_CACHE", empty), ("HF_HUB_OFFLINE", "1"));

        Assert.That(exitCode, Is.Zero, error);
        Assert.That(error, Does.Contain("using the copy the test suite extracted at " + extracted));
        // What the real model does with the sample's passages (found by running it): the lift passage first, Newton's second.
        Assert.That(output, Does.Contain("→ #1").And.Contain("A wing produces lift because air flowing over its curved upper surface"));
        int first = output.IndexOf("A wing produces lift because", StringComparison.Ordinal), second = output.IndexOf("Newton's third law explains lift", StringComparison.Ordinal);
        Assert.That(first, Is.GreaterThan(0).And.LessThan(second), "ranked first, before Newton's third law");
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(string[] args, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Metadata("RagPipelinePath"));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // The machine's own Hugging Face settings must not decide the outcome.
        foreach (string name in new[] { "HF_HOME", "HF_HUB_CACHE", "HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "RERANK_EMBEDDING_MODEL" })
        {
            start.Environment.Remove(name);
        }

        foreach ((string name, string value) in environment)
        {
            start.Environment[name] = value;
        }

        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output, await error);
    }
}
