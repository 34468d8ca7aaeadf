using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.ML.OnnxRuntime;
using Rerank.Onnx;
using Rerank.Onnx.Embeddings;
using Rerank.Onnx.Model;
using Rerank.Onnx.Tokenization;

namespace Rerank.Benchmarks;

/// <summary>
/// <c>bench-embeddings</c>: side by side in one run, (1) <see cref="OnnxEmbeddingGenerator"/> embedding the Cranfield corpus
/// against a bare ONNX Runtime session fed the same pre-tokenised, length-sorted batches and against transformers.js'
/// <c>feature-extraction</c> pipeline used as its documentation shows (batches of 32 in input order, mean pooling,
/// normalize), and (2) the embedding reranker over 100 cached documents against the cross-encoder on the same 100
/// documents. Every figure is the median over rounds in which the runners take turns; each ratio is the median of the
/// ratios within a round.
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project benchmarks/Rerank.Benchmarks -- bench-embeddings --embedding DIR --cross-encoder DIR --cranfield DIR [--threads N] [--rounds N] [--skip-transformers-js]</c>.
/// DIR of the embedding model: the all-MiniLM-L6-v2 folder the tests extract (<c>$TMP/rerank-tests/all-MiniLM-L6-v2-*</c>);
/// the cross-encoder: <c>.bench/minilm-l6-h384-cross-encoder</c> from tools/make_bench_model.py. transformers.js
/// (@huggingface/transformers 4.3.1, installed under .bench/node on first use) loads a scratch copy of the embedding folder
/// under .bench/ (see <see cref="TransformersJsEmbeddingFolder"/>) with the same ONNX file, on --threads intra-op threads;
/// its first 20 vectors are compared with the generator's to show both embed the same tokens.
/// </remarks>
internal static class EmbeddingBenchCommand
{
    private const int MaxLength = 256;
    private const int TransformersJsBatchSize = 32;
    private const int FidelityDocuments = 20;

    public static async Task<int> RunAsync(string[] args)
    {
        string? embedding = null, crossEncoder = null, cranfield = null;
        int threads = Environment.ProcessorCount, rounds = 3;
        bool transformersJs = true;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--skip-transformers-js")
            {
                transformersJs = false;
                continue;
            }

            if (i + 1 == args.Length)
            {
                throw new ArgumentException($"Argument '{args[i]}' needs a value.");
            }

            switch (args[i])
            {
                case "--embedding": embedding = args[++i]; break;
                case "--cross-encoder": crossEncoder = args[++i]; break;
                case "--cranfield": cranfield = args[++i]; break;
                case "--threads": threads = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--rounds": rounds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"Unknown argument '{args[i]}'.");
            }
        }

        if (embedding is null || crossEncoder is null || cranfield is null || rounds < 1)
        {
            Console.Error.WriteLine("usage: bench-embeddings --embedding DIR --cross-encoder DIR --cranfield DIR [--threads N] [--rounds N (>= 1)] [--skip-transformers-js]");
            return 2;
        }

        string[] corpus = [.. File.ReadLines(Path.Combine(cranfield, "corpus.jsonl")).Select(line =>
        {
            using JsonDocument json = JsonDocument.Parse(line);
            return (json.RootElement.GetProperty("title").GetString() + " " + json.RootElement.GetProperty("text").GetString()).Trim();
        })];

        using var generator = new OnnxEmbeddingGenerator(new OnnxEmbeddingGeneratorOptions(embedding) { IntraOpNumThreads = threads, MaxLength = MaxLength });
        bool[] overCap = [.. corpus.Select(t => generator.CountTokens(t) + 2 > MaxLength)];
        Console.WriteLine($"machine: {Environment.ProcessorCount} logical cores, {threads} intra-op threads; {corpus.Length} documents, max {MaxLength} tokens ({overCap.Count(o => o)} documents truncated); median of {rounds} rounds");

        var runners = new List<Runner>();
        await generator.GenerateAsync(corpus.Take(64));
        runners.Add(new Runner("OnnxEmbeddingGenerator", "tokenisation included", async () =>
        {
            long start = Stopwatch.GetTimestamp();
            await generator.GenerateAsync(corpus);
            return Stopwatch.GetElapsedTime(start).TotalSeconds;
        }));
        using BareSession bare = BareSession.Open(embedding, threads, corpus);
        bare.Run();
        runners.Add(new Runner("bare InferenceSession, same batches", "pre-tokenised", () =>
        {
            long start = Stopwatch.GetTimestamp();
            bare.Run();
            return Task.FromResult(Stopwatch.GetElapsedTime(start).TotalSeconds);
        }));
        TransformersJsWorker? worker = null;
        try
        {
            if (transformersJs)
            {
                string root = BenchCommand.FindRepositoryRoot();
                string folder = TransformersJsEmbeddingFolder.Prepare(root, embedding, MaxLength);
                worker = TransformersJsWorker.Start(root, "embed.mjs", "embeddings", new { modelDir = folder, texts = corpus, batchSize = TransformersJsBatchSize, threads, checkCount = FidelityDocuments });
                JsonElement first = worker.Run();
                await ReportFidelityAsync(generator, corpus, overCap, first.GetProperty("vectors"));
                runners.Add(new Runner("transformers.js feature-extraction, input order", "tokenisation included", () => Task.FromResult(worker.Run().GetProperty("ms").GetDouble() / 1000)));
            }

            // Round-robin, rotating the order each round, so that a noisy neighbour on a shared machine slows every runner
            // alike instead of whichever happened to run at the time.
            for (int round = 0; round < rounds; round++)
            {
                for (int k = 0; k < runners.Count; k++)
                {
                    Runner runner = runners[(k + round) % runners.Count];
                    runner.Seconds.Add(await runner.Measure());
                }
            }
        }
        finally
        {
            worker?.Dispose();
        }

        foreach (Runner runner in runners)
        {
            double median = BenchCommand.Median(runner.Seconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{runner.Name}: {corpus.Length / median:F1} docs/s ({median:F2} s, {runner.Note})"));
        }

        ReportRatio("generator / bare throughput", runners[0].Seconds, runners[1].Seconds, ">= 0.95x");
        if (runners.Count > 2)
        {
            ReportRatio("generator / transformers.js throughput", runners[0].Seconds, runners[2].Seconds, ">= 1.5x");
        }

        string query = "what similarity laws must be obeyed when constructing aeroelastic models of heated high speed aircraft";
        RerankDocument[] hundred = [.. corpus.Take(100).Select(t => new RerankDocument(t))];
        using var reranker = new EmbeddingReranker(generator);
        using var cross = new OnnxCrossEncoderReranker(new OnnxCrossEncoderOptions(crossEncoder) { IntraOpNumThreads = threads, MaxLength = MaxLength });
        await reranker.RerankAsync(query, hundred);
        await cross.RerankAsync(query, hundred);
        List<double> cached = [], crossSeconds = [];
        for (int r = 0; r < Math.Max(rounds, 3); r++)
        {
            long start = Stopwatch.GetTimestamp();
            await reranker.RerankAsync(query + " " + r.ToString(CultureInfo.InvariantCulture), hundred);
            cached.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
            start = Stopwatch.GetTimestamp();
            await cross.RerankAsync(query, hundred);
            crossSeconds.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"100 documents, median of {cached.Count} rounds: EmbeddingReranker with cached documents {BenchCommand.Median(cached) * 1000:F1} ms (one new query embedded each time); cross-encoder {BenchCommand.Median(crossSeconds) * 1000:F1} ms"));
        ReportRatio("cached EmbeddingReranker / cross-encoder speed", cached, crossSeconds, ">= 20x");
        return 0;
    }

    /// <summary>Prints the median over rounds of the within-round throughput ratio (the inverse of the time ratio).</summary>
    private static void ReportRatio(string title, List<double> numeratorSeconds, List<double> denominatorSeconds, string target)
    {
        List<double> ratios = [.. numeratorSeconds.Zip(denominatorSeconds, (n, d) => d / n)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio {title}: {BenchCommand.Median(ratios):F3}x (median of per-round ratios, min {ratios.Min():F3}, max {ratios.Max():F3}; target {target})"));
    }

    /// <summary>
    /// Compares transformers.js' first vectors with the generator's: equal tokens give |Δ| of float rounding. Texts over the
    /// cap differ by design: transformers.js 4.3.1 truncates after adding the special tokens and so drops the final [SEP],
    /// which Hugging Face tokenizers and sentence-transformers (and the generator) keep; see tools/embedding_reference.cjs.
    /// </summary>
    private static async Task ReportFidelityAsync(OnnxEmbeddingGenerator generator, string[] corpus, bool[] overCap, JsonElement vectors)
    {
        GeneratedEmbeddings<Embedding<float>> ours = await generator.GenerateAsync(corpus.Take(vectors.GetArrayLength()));
        double within = 0, over = 0;
        int overCount = 0;
        int index = 0;
        foreach (JsonElement vector in vectors.EnumerateArray())
        {
            float[] mine = ours[index].Vector.ToArray();
            double delta = vector.EnumerateArray().Select((v, d) => Math.Abs(v.GetDouble() - mine[d])).Max();
            if (overCap[index])
            {
                over = Math.Max(over, delta);
                overCount++;
            }
            else
            {
                within = Math.Max(within, delta);
            }

            index++;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fidelity, first {index} documents, transformers.js vs OnnxEmbeddingGenerator: max |Δ| {within:G3} over the {index - overCount} within {MaxLength} tokens; {(overCount == 0 ? "none over the cap" : $"{over:G3} over the {overCount} truncated (transformers.js 4.3.1 drops their final [SEP])")}"));
    }

    /// <summary>The same work without the generator: pre-tokenised texts, the same sort and batch plan, Run and mean pooling.</summary>
    private sealed class BareSession : IDisposable
    {
        private readonly InferenceSession _session;
        private readonly List<(long[] Ids, long[] Mask, long[] Types, long[] Shape, int[] Lengths)> _batches = [];

        private BareSession(InferenceSession session)
        {
            _session = session;
        }

        public static BareSession Open(string directory, int threads, string[] texts)
        {
            ModelFiles files = ModelFiles.Resolve(directory, null, null, OnnxModelVariant.Float32, "bench");
            var encoder = new SingleTextEncoder(TokenizerSource.Load(files));
            PairEncoding[] encodings = [.. texts.Select(t => encoder.Encode(t, 256, out _))];
            int[] order = new int[encodings.Length];
            OnnxCrossEncoderReranker.SortByLength(encodings, order);
            int[] lengths = [.. order.Select(i => encodings[i].Length)];
            int[] starts = new int[encodings.Length + 1];
            int count = Rerank.Onnx.Inference.BatchPlanner.Plan(lengths, 32, 384, starts);
            var bare = new BareSession(new InferenceSession(files.ModelPath, new SessionOptions { IntraOpNumThreads = threads, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL }));
            for (int b = 0; b < count; b++)
            {
                int[] rows = order[starts[b]..starts[b + 1]];
                int width = rows.Max(i => encodings[i].Length);
                var ids = new long[rows.Length * width];
                var mask = new long[rows.Length * width];
                for (int r = 0; r < rows.Length; r++)
                {
                    int[] source = encodings[rows[r]].InputIds;
                    for (int t = 0; t < source.Length; t++)
                    {
                        ids[(r * width) + t] = source[t];
                        mask[(r * width) + t] = 1;
                    }
                }

                bare._batches.Add((ids, mask, new long[ids.Length], [rows.Length, width], [.. rows.Select(i => encodings[i].Length)]));
            }

            return bare;
        }

        public void Run()
        {
            foreach ((long[] ids, long[] mask, long[] types, long[] shape, int[] lengths) in _batches)
            {
                using OrtValue idsValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
                using OrtValue maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
                using OrtValue typesValue = OrtValue.CreateTensorValueFromMemory(types, shape);
                using var runOptions = new RunOptions();
                using IDisposableReadOnlyCollection<OrtValue> outputs = _session.Run(runOptions, ["input_ids", "attention_mask", "token_type_ids"], [idsValue, maskValue, typesValue], ["last_hidden_state"]);
                ReadOnlySpan<float> hidden = outputs[0].GetTensorDataAsSpan<float>();
                int width = (int)shape[1];
                var pooled = new float[384];
                for (int r = 0; r < lengths.Length; r++)
                {
                    TokenPooler.Pool(hidden.Slice(r * width * 384, width * 384), 384, lengths[r], 0, [EmbeddingPooling.Mean], pooled);
                    TokenPooler.Normalize(pooled);
                }
            }
        }

        public void Dispose() => _session.Dispose();
    }

    private sealed class Runner(string name, string note, Func<Task<double>> measure)
    {
        public string Name { get; } = name;

        public string Note { get; } = note;

        public Func<Task<double>> Measure { get; } = measure;

        public List<double> Seconds { get; } = [];
    }
}
