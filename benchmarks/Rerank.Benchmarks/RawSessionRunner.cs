using Microsoft.ML.OnnxRuntime;
using Rerank.Onnx;
using Rerank.Onnx.Inference;
using Rerank.Onnx.Tokenization;

namespace Rerank.Benchmarks;

/// <summary>
/// The baseline: ONNX Runtime alone, on the very tensors the library would build (the same ids, the same length-sorted
/// batch plan, each batch padded to its longest pair), made once before timing. Only <see cref="InferenceSession.Run(RunOptions, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue}, IReadOnlyCollection{string})"/> is timed.
/// </summary>
internal sealed class RawSessionRunner : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly List<OrtValue[]> _batches = [];
    private readonly string[] _inputNames = ["input_ids", "attention_mask", "token_type_ids"];
    private readonly string[] _outputNames = ["logits"];

    public RawSessionRunner(OnnxCrossEncoderReranker reranker, IPairTokenizer tokenizer, string query, IReadOnlyList<string> passages)
    {
        string modelPath = reranker.ModelPath;
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        _session = new InferenceSession(modelPath, options);
        PairEncoding[] encodings = passages.Select(p => tokenizer.EncodePair(query, p, reranker.MaxLength)).ToArray();
        var order = new int[encodings.Length];
        var starts = new int[encodings.Length + 1];
        int batches = reranker.PlanBatches(encodings, order, starts);
        for (int b = 0; b < batches; b++)
        {
            int[] batch = order[starts[b]..starts[b + 1]];
            int length = batch.Max(i => encodings[i].Length);
            long[] ids = new long[batch.Length * length], mask = new long[ids.Length], types = new long[ids.Length];
            PooledBatch<long>.Fill(encodings, batch, length, tokenizer.PadTokenId, ids, mask, types);
            long[] shape = [batch.Length, length];
            Positions += ids.Length;
            _batches.Add([OrtValue.CreateTensorValueFromMemory(ids, shape), OrtValue.CreateTensorValueFromMemory(mask, shape), OrtValue.CreateTensorValueFromMemory(types, shape)]);
        }

        Tokens = encodings.Sum(e => (long)e.Length);

        // What padding: true over input-order batches of 16 (transformers.js) would feed the model, for comparison.
        UnsortedPositions16 = encodings.Chunk(16).Sum(chunk => (long)chunk.Length * chunk.Max(e => e.Length));
        Batches = batches;
    }

    /// <summary>Gets the positions the model processes per query, padding included.</summary>
    public long Positions { get; private set; }

    /// <summary>Gets the positions of the same pairs in input-order batches of 16 padded to their longest.</summary>
    public long UnsortedPositions16 { get; }

    /// <summary>Gets the number of batches (session runs) per query.</summary>
    public int Batches { get; }

    /// <summary>Gets the real (unpadded) tokens of the workload.</summary>
    public long Tokens { get; }

    /// <summary>Runs every batch once and returns the logits in batch order (for a sanity check against the library).</summary>
    public float[] RunAll()
    {
        var logits = new List<float>();
        foreach (OrtValue[] inputs in _batches)
        {
            using IDisposableReadOnlyCollection<OrtValue> outputs = _session.Run(_runOptions, _inputNames, inputs, _outputNames);
            logits.AddRange(outputs[0].GetTensorDataAsSpan<float>().ToArray());
        }

        return [.. logits];
    }

    public void Dispose()
    {
        foreach (OrtValue[] batch in _batches)
        {
            foreach (OrtValue value in batch)
            {
                value.Dispose();
            }
        }

        _runOptions.Dispose();
        _session.Dispose();
    }
}
