using System.Diagnostics;
using System.Text.Json;

namespace Rerank.Benchmarks;

/// <summary>
/// A long-lived Node process running one of the transformers-js/*.mjs workers: it reads its job file, prints "ready", then
/// answers each "run" line on stdin with one JSON line, so the bench commands can interleave it with the .NET runners.
/// </summary>
internal sealed class TransformersJsWorker : IDisposable
{
    private readonly Process _process;
    private readonly string _label;

    private TransformersJsWorker(Process process, string label)
    {
        _process = process;
        _label = label;
    }

    /// <summary>Installs transformers.js under .bench/node (once), writes <paramref name="job"/> as the job file and starts <paramref name="script"/> on it.</summary>
    public static TransformersJsWorker Start(string root, string script, string jobName, object job)
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

        // Next to node_modules, so that the script's bare `import '@huggingface/transformers'` resolves.
        File.Copy(Path.Combine(root, "benchmarks", "Rerank.Benchmarks", "transformers-js", script), Path.Combine(nodeDirectory, script), overwrite: true);
        string jobPath = Path.Combine(nodeDirectory, $"job-{jobName}.json");
        File.WriteAllText(jobPath, JsonSerializer.Serialize(job));
        var start = new ProcessStartInfo("node", $"{script} {jobPath}")
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
            process.Dispose();
            throw new InvalidOperationException($"transformers.js ({jobName}) did not start; run `node {script} {jobPath}` in {nodeDirectory} to see why.");
        }

        return new TransformersJsWorker(process, $"{script} ({jobName})");
    }

    /// <summary>Runs the job once and returns the worker's JSON answer (its <c>ms</c> property is the time the worker measured).</summary>
    public JsonElement Run()
    {
        _process.StandardInput.WriteLine("run");
        _process.StandardInput.Flush();
        string line = _process.StandardOutput.ReadLine() ?? throw new InvalidOperationException($"transformers.js {_label} exited during a run.");
        using JsonDocument result = JsonDocument.Parse(line);
        return result.RootElement.Clone();
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
