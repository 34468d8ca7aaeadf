using System.Buffers;
using Microsoft.ML.OnnxRuntime;
using Rerank.Onnx.Inference;

namespace Rerank.Onnx.LateInteraction;

/// <summary>
/// One ONNX Runtime session of an encoder graph that outputs one vector per token (<c>last_hidden_state</c>, or the
/// projected token embeddings of a ColBERT export), shared by every caller.
/// </summary>
/// <remarks>InferenceSession.Run is thread-safe; each call to <see cref="Run"/> rents its own buffers.</remarks>
internal sealed class TokenEmbeddingSession : IDisposable
{
    private static readonly string[] PreferredOutputs = ["last_hidden_state", "token_embeddings", "contextual", "output"];
    private readonly SessionOptions _sessionOptions;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly bool _int32;
    private long _runCount;

    private TokenEmbeddingSession(InferenceSession session, SessionOptions sessionOptions, string modelPath)
    {
        Session = session;
        _sessionOptions = sessionOptions;
        ModelPath = modelPath;
        (_inputNames, _int32) = EncoderInputs.Discover(session, modelPath, "a ColBERT encoder");
        (string outputName, int? width) = TokenOutputs.Find(session, modelPath, PreferredOutputs, outputs =>
            $"'{modelPath}' has no per-token output: a ColBERT encoder needs a float output shaped [batch, tokens, dim] (last_hidden_state or token_embeddings); it has {outputs}.");
        _outputNames = [outputName];
        OutputName = outputName;
        OutputDimension = width;
    }

    public InferenceSession Session { get; }

    public string ModelPath { get; }

    public string OutputName { get; }

    /// <summary>Gets the width of each token vector when the graph states it.</summary>
    public int? OutputDimension { get; }

    /// <summary>Gets the number of runs since the session opened.</summary>
    public long RunCount => Interlocked.Read(ref _runCount);

    /// <summary>Opens a session with graph optimisation on, the options' thread settings and execution providers.</summary>
    /// <param name="modelPath">The ONNX file.</param>
    /// <param name="options">The reranker options.</param>
    /// <returns>The session.</returns>
    /// <exception cref="OnnxModelLoadException">ONNX Runtime cannot load the file, or the graph has no token output.</exception>
    /// <exception cref="OnnxExecutionProviderException">No requested execution provider can run the model and the CPU fall-back is off.</exception>
    public static TokenEmbeddingSession Open(string modelPath, OnnxLateInteractionOptions options) =>
        OnnxSessionFactory.Open(
            modelPath,
            new SessionSettings(nameof(OnnxLateInteractionOptions), options.IntraOpNumThreads, options.InterOpNumThreads, options.ExecutionProviders, options.AllowCpuFallback, options.ConfigureSessionOptions, options.Logger),
            (session, sessionOptions) => new TokenEmbeddingSession(session, sessionOptions, modelPath));

    /// <summary>
    /// Runs the encodings <paramref name="batch"/> (indices into <paramref name="encodings"/>), padded with
    /// <paramref name="padId"/> to the longest, and hands each row's [length × dim] output to <paramref name="consume"/>.
    /// </summary>
    /// <returns>The number of positions run (rows × padded length).</returns>
    public int Run(ReadOnlySpan<ColBertEncoding> encodings, ReadOnlySpan<int> batch, int padId, RunOptions runOptions, Action<int, ReadOnlySpan<float>, int> consume)
    {
        int rows = batch.Length;
        int length = 0;
        foreach (int index in batch)
        {
            length = Math.Max(length, encodings[index].Length);
        }

        int size = rows * length;
        long[] ids = ArrayPool<long>.Shared.Rent(size);
        long[] mask = ArrayPool<long>.Shared.Rent(size);
        long[] types = ArrayPool<long>.Shared.Rent(size);
        var inputs = new OrtValue[_inputNames.Length];
        try
        {
            types.AsSpan(0, size).Clear();
            for (int r = 0; r < rows; r++)
            {
                ColBertEncoding encoding = encodings[batch[r]];
                Span<long> rowIds = ids.AsSpan(r * length, length);
                Span<long> rowMask = mask.AsSpan(r * length, length);
                for (int t = 0; t < encoding.Length; t++)
                {
                    rowIds[t] = encoding.InputIds[t];
                    rowMask[t] = encoding.AttentionMask[t];
                }

                rowIds[encoding.Length..].Fill(padId);
                rowMask[encoding.Length..].Clear();
            }

            long[] shape = [rows, length];
            for (int i = 0; i < inputs.Length; i++)
            {
                long[] buffer = _inputNames[i] switch
                {
                    "input_ids" => ids,
                    "attention_mask" => mask,
                    _ => types,
                };
                inputs[i] = _int32
                    ? OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<int>(ToInt32(buffer, size)), shape)
                    : OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<long>(buffer, 0, size), shape);
            }

            Interlocked.Increment(ref _runCount);
            using IDisposableReadOnlyCollection<OrtValue> outputs = Session.Run(runOptions, _inputNames, inputs, _outputNames);
            OrtValue output = outputs[0];
            long[] outShape = output.GetTensorTypeAndShape().Shape;
            if (outShape.Length != 3 || outShape[0] != rows || outShape[1] != length)
            {
                throw new InvalidOperationException($"'{ModelPath}' returned '{OutputName}' shaped [{string.Join(", ", outShape)}] for {rows} texts of {length} tokens; expected [{rows}, {length}, dim].");
            }

            int dim = (int)outShape[2];
            float[]? converted = null;
            try
            {
                ReadOnlySpan<float> values = TokenOutputs.ReadFloats(output, ref converted);
                for (int r = 0; r < rows; r++)
                {
                    consume(batch[r], values.Slice(r * length * dim, encodings[batch[r]].Length * dim), dim);
                }
            }
            finally
            {
                if (converted is not null)
                {
                    ArrayPool<float>.Shared.Return(converted);
                }
            }

            return size;
        }
        finally
        {
            foreach (OrtValue? input in inputs)
            {
                input?.Dispose();
            }

            ArrayPool<long>.Shared.Return(ids);
            ArrayPool<long>.Shared.Return(mask);
            ArrayPool<long>.Shared.Return(types);
        }
    }

    public void Dispose()
    {
        Session.Dispose();
        _sessionOptions.Dispose();
    }

    private static int[] ToInt32(long[] buffer, int size)
    {
        var narrow = new int[size];
        for (int i = 0; i < size; i++)
        {
            narrow[i] = (int)buffer[i];
        }

        return narrow;
    }
}
