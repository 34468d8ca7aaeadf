using System.Diagnostics;
using System.Text.Json;

namespace Rerank.Benchmarks;

/// <summary>A long-lived Node process running transformers-js/bench.mjs on one model variant; each <see cref="Run"/> reranks once.</summary>
internal sealed class TransformersJsWorker : IDisposable
{
    private readonly Process _process;

    private TransformersJsWorker(Process process) => _process = process;

    public static TransformersJsWorker Start(string root, string modelDirectory, string dtype, string query, IReadOnlyList<string> passages, int batchSize, int maxLength)
    {
        string nodeDirectory = Path.Combine(root, ".bench", "node");
        if (!File.Exists(Path.Combine(nodeDirectory, "node_modules", "@huggingface", "transformers", "package.json")))
        {
            // --ignore-scripts: onnxruntime-node's CPU binaries ship in the package; its install script only fetches GPU extras.
            Directory.CreateDirectory(nodeDirectory);
            if (!File.Exists(Path.Combine(nodeDirectory, "package.json")))
            {
                BenchCommand.Run("npm", "init -y", nodeDirectory);
            }

            BenchCommand.Run("npm", "install --ignore-scripts --no-audit --no-fund @huggingface/transformers@4.3.1", nodeDirectory);
        }

        File.Copy(Path.Combine(root, "benchmarks", "Rerank.Benchmarks", "transformers-js", "bench.mjs"), Path.Combine(nodeDirectory, "bench.mjs"), overwrite: true);
        string jobPath = Path.Combine(nodeDirectory, $"job-{dtype}.json");
        File.WriteAllText(jobPath, JsonSerializer.Serialize(new { modelDir = modelDirectory, query, passages, dtype, batchSize, maxLength }));
        var start = new ProcessStartInfo("node", $"bench.mjs {jobPath}")
        {
            WorkingDirectory = nodeDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        };
        Process process = Process.Start(start)!;
        string? line;
        while ((line = process.StandardOutput.ReadLine()) is not null && line != "ready")
        {
        }

        if (line is null)
        {
            throw new InvalidOperationException($"transformers.js ({dtype}) did not start; run `node bench.mjs {jobPath}` in {nodeDirectory} to see why.");
        }

        return new TransformersJsWorker(process);
    }

    public (double Milliseconds, double[]? Scores) Run()
    {
        _process.StandardInput.WriteLine("run");
        _process.StandardInput.Flush();
        string line = _process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("transformers.js exited during a run.");
        using JsonDocument result = JsonDocument.Parse(line);
        return (result.RootElement.GetProperty("ms").GetDouble(), result.RootElement.GetProperty("scores").EnumerateArray().Select(e => e.GetDouble()).ToArray());
    }

    public void Dispose()
    {
        try
        {
            _process.StandardInput.WriteLine("exit");
            _process.StandardInput.Flush();
            if (!_process.WaitForExit(5000))
            {
                _process.Kill();
            }
        }
        finally
        {
            _process.Dispose();
        }
    }
}
