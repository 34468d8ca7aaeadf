using System.Diagnostics;
using System.Reflection;

namespace Rerank.VectorData.Tests.Samples;

/// <summary>Runs samples/RagPipeline end to end, offline, on the random-weight embedding fixture (no chat endpoint).</summary>
public sealed class RagPipelineSampleTests
{
    private static string Metadata(string key) => typeof(RagPipelineSampleTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    [Test]
    public async Task The_sample_runs_the_whole_pipeline_and_prints_the_prompt_it_would_send()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in new[] { Metadata("RagPipelinePath"), "--model", Metadata("EmbeddingFixturePath"), "--query", "wings and lift" })
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.That(process.ExitCode, Is.Zero, await error);
        Assert.That(output, Does.Contain("first stage → final").And.Contain("No --chat-endpoint").And.Contain("[3] ").And.Contain("Question: wings and lift"));
    }
}
