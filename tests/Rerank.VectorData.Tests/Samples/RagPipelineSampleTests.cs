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

        (int exitCode, string output, string error) = await RunAsync([], ("HF_HUB_CACHE", empty), ("HF_HUB_OFFLINE", "1"));

        Assert.That(exitCode, Is.EqualTo(1));
        Assert.That(error, Does.Contain("No embedding model: Offline mode is on").And.Contain("--model DIR"));
        Assert.That(output, Is.Empty);
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
