using System.Diagnostics;
using System.Runtime.InteropServices;
using Rerank.Onnx;

namespace Rerank.Benchmarks.LateInteraction;

/// <summary>
/// <c>dotnet run -c Release --project benchmarks/Rerank.Benchmarks -- bench-late-interaction [--iterations N]</c>:
/// 1 query × 100 passages, side by side in one run, round-robin: the MiniLM-L6-H384 cross-encoder (max_length 512),
/// the late-interaction reranker with the same encoder size uncached (every document encoded, document length 180),
/// and the same reranker with its documents already in the memory cache (one query encoding and 100 MaxSims).
/// Both models are generated on demand under .bench/ (random weights, real cost).
/// </summary>
internal static class LateInteractionBenchCommand
{
    private const int Warmup = 2;
    private const int PassageCount = 100;

    public static async Task<int> RunAsync(string[] args)
    {
        int iterations = args.SkipWhile(a => a != "--iterations").Skip(1).Select(int.Parse).FirstOrDefault(8);
        string root = BenchCommand.FindRepositoryRoot();
        string crossEncoderDirectory = Path.Combine(root, ".bench", "minilm-l6-h384-cross-encoder");
        string colbertDirectory = Path.Combine(root, ".bench", "minilm-l6-h384-colbert");
        Ensure(root, crossEncoderDirectory, "tools/make_bench_model.py");
        Ensure(root, colbertDirectory, "tools/make_bench_colbert.py");

        string query = BenchPassages.Query;
        RerankDocument[] documents = [.. BenchPassages.Compose(PassageCount, seed: 2025).Select(p => new RerankDocument(p))];
        if (args.Contains("--maxsim"))
        {
            return await MeasureMaxSimAsync(colbertDirectory, query, documents).ConfigureAwait(false);
        }

        using var crossEncoder = new OnnxCrossEncoderReranker(new OnnxCrossEncoderOptions(crossEncoderDirectory) { MaxLength = 512 });
        using var uncached = new OnnxLateInteractionReranker(new OnnxLateInteractionOptions(colbertDirectory) { DocumentCacheBytes = 0 });
        using var cached = new OnnxLateInteractionReranker(new OnnxLateInteractionOptions(colbertDirectory));
        await cached.RerankAsync(query, documents).ConfigureAwait(false);

        (string Name, IReranker Reranker, List<double> Times)[] runners =
        [
            ("cross-encoder MiniLM-L6 (uncached)", crossEncoder, []),
            ("late interaction (uncached)", uncached, []),
            ("late interaction (documents cached)", cached, []),
        ];
        var ratios = new List<(double Uncached, double Cached)>();
        for (int round = 0; round < Warmup + iterations; round++)
        {
            var times = new double[runners.Length];
            for (int k = 0; k < runners.Length; k++)
            {
                int r = (k + round) % runners.Length;
                long start = Stopwatch.GetTimestamp();
                await runners[r].Reranker.RerankAsync(query, documents).ConfigureAwait(false);
                times[r] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }

            Console.WriteLine($"round {round + 1}{(round < Warmup ? " (warm-up)" : "")}: {string.Join(", ", runners.Select((r, i) => $"{r.Name} {times[i]:F1} ms"))}");
            if (round >= Warmup)
            {
                for (int r = 0; r < runners.Length; r++)
                {
                    runners[r].Times.Add(times[r]);
                }

                ratios.Add((times[0] / times[1], times[0] / times[2]));
            }
        }

        Console.WriteLine($"1 query x {PassageCount} passages, median of {iterations} rounds after {Warmup} warm-up rounds (round-robin)");
        Console.WriteLine($"machine: {Environment.ProcessorCount} logical cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.ProcessArchitecture}");
        Console.WriteLine();
        Console.WriteLine("| runner | ms per query (median) | ms per query (best) | documents/s (median) |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach ((string name, _, List<double> times) in runners)
        {
            double median = Median(times);
            Console.WriteLine($"| {name} | {median:F1} | {times.Min():F1} | {PassageCount / median * 1000:F0} |");
        }

        Console.WriteLine();
        Console.WriteLine($"cross-encoder / late interaction uncached, per round: {Median([.. ratios.Select(r => r.Uncached)]):F2}x ({ratios.Min(r => r.Uncached):F2}-{ratios.Max(r => r.Uncached):F2})");
        Console.WriteLine($"cross-encoder / late interaction cached, per round: {Median([.. ratios.Select(r => r.Cached)]):F1}x ({ratios.Min(r => r.Cached):F1}-{ratios.Max(r => r.Cached):F1}) (target >= 20x)");
        var cache = cached.MemoryCache!;
        IReadOnlyList<LateInteractionEmbeddings> stored = await cached.EncodeDocumentsAsync(documents.Select(d => d.Text)).ConfigureAwait(false);
        double tokens = stored.Average(e => e.TokenCount);
        Console.WriteLine($"memory cache: {cache.Count} documents, {cache.Bytes / (double)cache.Count / 1024:F1} KiB per document ({tokens:F1} token vectors of {cached.Dimension} floats on average); "
            + $"serialised: {stored.Average(e => e.ToBytes(LateInteractionStorageFormat.Float16).Length) / 1024:F1} KiB float16, {stored.Average(e => e.ToBytes(LateInteractionStorageFormat.Float32).Length) / 1024:F1} KiB float32");
        return 0;
    }

    /// <summary>
    /// MaxSim alone over the 100 documents' real embeddings: thread CPU time and wall time per document, so that the
    /// figure holds on a machine shared with other jobs.
    /// </summary>
    private static async Task<int> MeasureMaxSimAsync(string colbertDirectory, string query, RerankDocument[] documents)
    {
        using var reranker = new OnnxLateInteractionReranker(new OnnxLateInteractionOptions(colbertDirectory));
        LateInteractionEmbeddings queryEmbeddings = await reranker.EncodeQueryAsync(query).ConfigureAwait(false);
        IReadOnlyList<LateInteractionEmbeddings> stored = await reranker.EncodeDocumentsAsync(documents.Select(d => d.Text)).ConfigureAwait(false);
        const int Rounds = 200;
        double sink = 0;
        for (int round = 0; round < 20; round++)
        {
            foreach (LateInteractionEmbeddings document in stored)
            {
                sink += OnnxLateInteractionReranker.Score(queryEmbeddings, document);
            }
        }

        TimeSpan? cpuStart = ThreadCpuClock.Now();
        long start = Stopwatch.GetTimestamp();
        for (int round = 0; round < Rounds; round++)
        {
            foreach (LateInteractionEmbeddings document in stored)
            {
                sink += OnnxLateInteractionReranker.Score(queryEmbeddings, document);
            }
        }

        double wallUs = Stopwatch.GetElapsedTime(start).TotalMicroseconds / (Rounds * stored.Count);
        double? cpuUs = ThreadCpuClock.Now() - cpuStart is TimeSpan cpu ? cpu.TotalMicroseconds / (Rounds * stored.Count) : null;
        Console.WriteLine($"MaxSim per document: {queryEmbeddings.TokenCount} query x {stored.Average(e => e.TokenCount):F1} document tokens of {queryEmbeddings.Dimension} dims on average: "
            + $"{cpuUs:F2} us thread CPU time, {wallUs:F2} us wall ({Rounds} rounds x {stored.Count} documents; checksum {sink:F1})");
        return 0;
    }

    private static void Ensure(string root, string directory, string script)
    {
        if (!File.Exists(Path.Combine(directory, "onnx", "model.onnx")))
        {
            Console.WriteLine($"Generating {Path.GetFileName(directory)} under .bench/ (once) ...");
            Console.WriteLine(BenchCommand.Run("/usr/bin/python3", $"{script} --out \"{directory}\"", root));
        }
    }

    private static double Median(List<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
