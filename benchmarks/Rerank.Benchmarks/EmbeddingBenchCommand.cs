using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Rerank.Onnx;
using Rerank.Onnx.Embeddings;
using Rerank.Onnx.Model;
using Rerank.Onnx.Tokenization;

namespace Rerank.Benchmarks;

/// <summary>
/// <c>bench-embeddings</c>: side by side in one run, (1) <see cref="OnnxEmbeddingGenerator"/> embedding the Cranfield corpus
/// against a bare ONNX Runtime session fed the same pre-tokenised, length-sorted batches, and (2) the embedding reranker
/// over 100 cached documents against the cross-encoder on the same 100 documents.
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project benchmarks/Rerank.Benchmarks -- bench-embeddings --embedding DIR --cross-encoder DIR --cranfield DIR [--threads N] [--rounds N]</c>.
/// DIR of the embedding model: the all-MiniLM-L6-v2 folder the tests extract (<c>$TMP/rerank-tests/all-MiniLM-L6-v2-*</c>);
/// the cross-encoder: <c>.bench/minilm-l6-h384-cross-encoder</c> from tools/make_bench_model.py.
/// </remarks>
internal static class EmbeddingBenchCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        string? embedding = null, crossEncoder = null, cranfield = null;
        int threads = Environment.ProcessorCount, rounds = 3;
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--embedding": embedding = args[i + 1]; break;
                case "--cross-encoder": crossEncoder = args[i + 1]; break;
                case "--cranfield": cranfield = args[i + 1]; break;
                case "--threads": threads = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--rounds": rounds = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"Unknown argument '{args[i]}'.");
            }
        }

        if (embedding is null || crossEncoder is null || cranfield is null)
        {
            Console.Error.WriteLine("usage: bench-embeddings --embedding DIR --cross-encoder DIR --cranfield DIR [--threads N] [--rounds N]");
            return 2;
        }

        string[] corpus = [.. File.ReadLines(Path.Combine(cranfield, "corpus.jsonl")).Select(line =>
        {
            using JsonDocument json = JsonDocument.Parse(line);
            return (json.RootElement.GetProperty("title").GetString() + " " + json.RootElement.GetProperty("text").GetString()).Trim();
        })];
        Console.WriteLine($"machine: {Environment.ProcessorCount} logical cores, {threads} intra-op threads; {corpus.Length} documents, max 256 tokens");

        using var generator = new OnnxEmbeddingGenerator(new OnnxEmbeddingGeneratorOptions(embedding) { IntraOpNumThreads = threads, MaxLength = 256 });
        await generator.GenerateAsync(corpus.Take(64));
        double generatorSeconds = double.MaxValue, bareSeconds = double.MaxValue;
        using (BareSession bare = BareSession.Open(embedding, threads, corpus))
        {
            bare.Run();
            for (int r = 0; r < rounds; r++)
            {
                var watch = Stopwatch.StartNew();
                await generator.GenerateAsync(corpus);
                generatorSeconds = Math.Min(generatorSeconds, watch.Elapsed.TotalSeconds);
                watch.Restart();
                bare.Run();
                bareSeconds = Math.Min(bareSeconds, watch.Elapsed.TotalSeconds);
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"OnnxEmbeddingGenerator: {corpus.Length / generatorSeconds:F1} docs/s ({generatorSeconds:F2} s, tokenisation included)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bare InferenceSession, same batches: {corpus.Length / bareSeconds:F1} docs/s ({bareSeconds:F2} s, pre-tokenised)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio generator / bare: {bareSeconds / generatorSeconds:F3}x"));

        string query = "what similarity laws must be obeyed when constructing aeroelastic models of heated high speed aircraft";
        RerankDocument[] hundred = [.. corpus.Take(100).Select(t => new RerankDocument(t))];
        using var reranker = new EmbeddingReranker(generator);
        using var cross = new OnnxCrossEncoderReranker(new OnnxCrossEncoderOptions(crossEncoder) { IntraOpNumThreads = threads, MaxLength = 256 });
        await reranker.RerankAsync(query, hundred);
        await cross.RerankAsync(query, hundred);
        double cached = double.MaxValue, crossSeconds = double.MaxValue;
        for (int r = 0; r < Math.Max(rounds, 3); r++)
        {
            var watch = Stopwatch.StartNew();
            await reranker.RerankAsync(query + " " + r.ToString(CultureInfo.InvariantCulture), hundred);
            cached = Math.Min(cached, watch.Elapsed.TotalSeconds);
            watch.Restart();
            await cross.RerankAsync(query, hundred);
            crossSeconds = Math.Min(crossSeconds, watch.Elapsed.TotalSeconds);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"100 documents: EmbeddingReranker with cached documents {cached * 1000:F1} ms (one new query embedded each time); cross-encoder {crossSeconds * 1000:F1} ms; {crossSeconds / cached:F1}x"));
        return 0;
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
}
