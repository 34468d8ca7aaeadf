using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using Rerank.Onnx;
using Rerank.Onnx.Model;
using Rerank.Onnx.Tokenization;

namespace Rerank.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project benchmarks/Rerank.Benchmarks -- bench [--iterations N] [--skip-js]</c>: 1 query ×
/// 50 passages at max_length 512 on a full-size MiniLM-L6-H384 cross-encoder (generated on demand under .bench/),
/// fp32 and int8, for the library end to end, the raw ONNX Runtime session on the same padded tensors, and
/// transformers.js over onnxruntime-node. Prints a markdown table and writes .bench/results.json.
/// </summary>
internal static class BenchCommand
{
    private const int MaxLength = 512;
    private const int LibraryBatchSize = 32;
    private const int TransformersJsBatchSize = 16;
    private const int Warmup = 3;

    public static async Task<int> RunAsync(string[] args)
    {
        int iterations = args.SkipWhile(a => a != "--iterations").Skip(1).Select(int.Parse).FirstOrDefault(15);
        bool skipJs = args.Contains("--skip-js");
        string root = FindRepositoryRoot();
        string modelDirectory = Path.Combine(root, ".bench", "minilm-l6-h384-cross-encoder");
        EnsureModel(root, modelDirectory);

        string query = BenchPassages.Query;
        IReadOnlyList<string> passages = BenchPassages.Passages;
        RerankDocument[] documents = passages.Select(p => new RerankDocument(p)).ToArray();
        var runners = new List<Runner>();
        var disposables = new List<IDisposable>();
        try
        {
            foreach ((string label, OnnxModelVariant variant, string dtype) in new[] { ("fp32", OnnxModelVariant.Float32, "fp32"), ("int8", OnnxModelVariant.Quantized, "q8") })
            {
                var options = new OnnxCrossEncoderOptions(modelDirectory) { ModelVariant = variant, BatchSize = LibraryBatchSize, MaxLength = MaxLength };
                var reranker = new OnnxCrossEncoderReranker(options);
                disposables.Add(reranker);
                IPairTokenizer tokenizer = TokenizerSource.Load(ModelFiles.Resolve(options));
                var raw = new RawSessionRunner(reranker, tokenizer, query, passages);
                disposables.Add(raw);
                Console.WriteLine($"{label}: {raw.Tokens} tokens in {raw.Batches} batches, {raw.Positions} positions with padding per query (input-order batches of 16: {raw.UnsortedPositions16}) ({Path.GetRelativePath(root, reranker.ModelPath)})");
                runners.Add(new Runner($"library ({label})", async () =>
                {
                    long start = Stopwatch.GetTimestamp();
                    RerankResponse response = await reranker.RerankAsync(query, documents);
                    return (Stopwatch.GetElapsedTime(start).TotalMilliseconds, ScoresInInputOrder(response, passages.Count));
                }));
                runners.Add(new Runner($"raw ONNX Runtime session ({label})", () =>
                {
                    long start = Stopwatch.GetTimestamp();
                    raw.RunAll();
                    return Task.FromResult((Stopwatch.GetElapsedTime(start).TotalMilliseconds, (double[]?)null));
                }));
                if (!skipJs)
                {
                    var worker = TransformersJsWorker.Start(root, "bench.mjs", dtype, new { modelDir = modelDirectory, query, passages, dtype, batchSize = TransformersJsBatchSize, maxLength = MaxLength });
                    disposables.Add(worker);
                    runners.Add(new Runner($"transformers.js ({label})", () =>
                    {
                        JsonElement result = worker.Run();
                        return Task.FromResult((result.GetProperty("ms").GetDouble(), (double[]?)[.. result.GetProperty("scores").EnumerateArray().Select(e => e.GetDouble())]));
                    }));
                }
            }

            // Round-robin, rotating the order each round, so that a noisy neighbour on this shared 2-core machine
            // slows every runner alike instead of whichever happened to run at the time.
            for (int round = 0; round < Warmup + iterations; round++)
            {
                for (int k = 0; k < runners.Count; k++)
                {
                    Runner runner = runners[(k + round) % runners.Count];
                    (double ms, double[]? scores) = await runner.Measure();
                    if (round >= Warmup)
                    {
                        runner.Times.Add(ms);
                    }

                    runner.Scores = scores ?? runner.Scores;
                }
            }
        }
        finally
        {
            foreach (IDisposable disposable in disposables)
            {
                disposable.Dispose();
            }
        }

        var rows = runners.Select(r => new Row(r.Name, Median(r.Times), r.Times.Min(), passages.Count, MaxDelta(r, runners))).ToList();
        Report(rows, iterations, root);
        ReportPairedRatios(runners);
        return 0;
    }

    /// <summary>
    /// Prints each target ratio as the median over rounds of the ratio within a round: runners of one round ran seconds
    /// apart, so a neighbour's load that comes and goes cancels out of the ratio better than out of separate medians.
    /// </summary>
    private static void ReportPairedRatios(List<Runner> runners)
    {
        Runner? Get(string name) => runners.SingleOrDefault(r => r.Name == name);
        void Ratio(string title, Runner? numerator, Runner? denominator, string target)
        {
            if (numerator is null || denominator is null)
            {
                return;
            }

            // Throughput ratio = inverse time ratio.
            List<double> ratios = numerator.Times.Zip(denominator.Times, (n, d) => d / n).ToList();
            Console.WriteLine($"{title}: median of per-round ratios = {Median(ratios):F2}x (min {ratios.Min():F2}, max {ratios.Max():F2}; target {target})");
        }

        Console.WriteLine();
        foreach (string label in new[] { "fp32", "int8" })
        {
            Ratio($"{label}: library / raw session throughput", Get($"library ({label})"), Get($"raw ONNX Runtime session ({label})"), ">= 0.90x");
            Ratio($"{label}: library / transformers.js throughput", Get($"library ({label})"), Get($"transformers.js ({label})"), ">= 4x");
        }

        Ratio("library int8 / fp32 throughput", Get("library (int8)"), Get("library (fp32)"), ">= 2x");
        if (Get("library (int8)")?.Scores is { } int8 && Get("library (fp32)")?.Scores is { } fp32)
        {
            Console.WriteLine($"library int8 vs fp32 scores: max abs difference {int8.Zip(fp32, (a, b) => Math.Abs(a - b)).Max():G3}");
        }
        Ratio("raw session int8 / fp32 throughput", Get("raw ONNX Runtime session (int8)"), Get("raw ONNX Runtime session (fp32)"), "");
    }

    private static double? MaxDelta(Runner runner, List<Runner> runners)
    {
        if (!runner.Name.StartsWith("transformers.js", StringComparison.Ordinal) || runner.Scores is null)
        {
            return null;
        }

        string label = runner.Name[(runner.Name.IndexOf('(') + 1)..^1];
        double[] library = runners.Single(r => r.Name == $"library ({label})").Scores!;
        return library.Zip(runner.Scores, (a, b) => Math.Abs(a - b)).Max();
    }

    private static double[] ScoresInInputOrder(RerankResponse response, int count)
    {
        var scores = new double[count];
        foreach (RerankResult result in response.Results)
        {
            scores[result.Index] = result.Score;
        }

        return scores;
    }

    private static void EnsureModel(string root, string modelDirectory)
    {
        if (File.Exists(Path.Combine(modelDirectory, "onnx", "model.onnx")) && File.Exists(Path.Combine(modelDirectory, "onnx", "model_quantized.onnx")))
        {
            return;
        }

        if (!File.Exists("/usr/bin/python3") || Run("/usr/bin/python3", "-c \"import torch, onnx\"", root, throwOnError: false) is null)
        {
            Console.Error.WriteLine("Generating the benchmark model needs Debian's python3-torch and python3-onnx: apt-get install -y python3-torch python3-onnx");
        }

        Console.WriteLine("Generating the MiniLM-L6-H384 benchmark model under .bench/ (once) ...");
        Console.WriteLine(Run("/usr/bin/python3", $"tools/make_bench_model.py --out \"{modelDirectory}\"", root)!);
    }

    internal static string? Run(string file, string arguments, string directory, bool throwOnError = true)
    {
        var start = new ProcessStartInfo(file, arguments) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        using Process process = Process.Start(start)!;
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            return throwOnError ? throw new InvalidOperationException($"{file} {arguments} failed ({process.ExitCode}): {stderr.Result}") : null;
        }

        return stdout;
    }

    private static void Report(List<Row> rows, int iterations, string root)
    {
        Row Find(string name) => rows.Single(r => r.Name == name);
        Console.WriteLine();
        Console.WriteLine($"1 query x {BenchPassages.Passages.Count} passages, max_length {MaxLength}, median of {iterations} runs after {Warmup} warm-up runs");
        Console.WriteLine($"machine: {Environment.ProcessorCount} logical cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.ProcessArchitecture}");
        Console.WriteLine();
        Console.WriteLine("| runner | ms per query (median) | pairs/s (median) | ms per query (best) | max abs score diff vs library |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (Row row in rows)
        {
            Console.WriteLine($"| {row.Name} | {row.Milliseconds:F1} | {row.PairsPerSecond:F1} | {row.BestMilliseconds:F1} | {(row.MaxScoreDelta is double d ? d.ToString("G3") : "")} |");
        }

        Console.WriteLine();
        foreach (string label in new[] { "fp32", "int8" })
        {
            Row library = Find($"library ({label})"), raw = Find($"raw ONNX Runtime session ({label})");
            Console.WriteLine($"{label}: library / raw session throughput = {library.PairsPerSecond / raw.PairsPerSecond:P1} (target >= 90%)");
            if (rows.Any(r => r.Name == $"transformers.js ({label})"))
            {
                Console.WriteLine($"{label}: library / transformers.js throughput = {library.PairsPerSecond / Find($"transformers.js ({label})").PairsPerSecond:F2}x (target >= 4x)");
            }
        }

        Console.WriteLine($"library int8 / fp32 throughput = {Find("library (int8)").PairsPerSecond / Find("library (fp32)").PairsPerSecond:F2}x (target >= 2x)");
        Console.WriteLine($"raw session int8 / fp32 throughput = {Find("raw ONNX Runtime session (int8)").PairsPerSecond / Find("raw ONNX Runtime session (fp32)").PairsPerSecond:F2}x");
        File.WriteAllText(Path.Combine(root, ".bench", "results.json"), JsonSerializer.Serialize(rows, new JsonSerializerOptions { WriteIndented = true }));
    }

    internal static double Median(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    internal static string FindRepositoryRoot()
    {
        for (string? directory = AppContext.BaseDirectory; directory is not null; directory = Path.GetDirectoryName(directory))
        {
            if (File.Exists(Path.Combine(directory, "Rerank.sln")))
            {
                return directory;
            }
        }

        throw new InvalidOperationException("Run the bench command from inside the repository (Rerank.sln not found above " + AppContext.BaseDirectory + ").");
    }

    private sealed class Runner(string name, Func<Task<(double Milliseconds, double[]? Scores)>> measure)
    {
        public string Name { get; } = name;

        public Func<Task<(double Milliseconds, double[]? Scores)>> Measure { get; } = measure;

        public List<double> Times { get; } = [];

        public double[]? Scores { get; set; }
    }

    private sealed record Row(string Name, double Milliseconds, double BestMilliseconds, int Pairs, double? MaxScoreDelta)
    {
        public double PairsPerSecond => Pairs / (Milliseconds / 1000);
    }
}
