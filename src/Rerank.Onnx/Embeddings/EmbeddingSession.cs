using System.Buffers;
using System.Numerics;
using Microsoft.ML.OnnxRuntime;
using Rerank.Onnx.Inference;
using Rerank.Onnx.Tokenization;

namespace Rerank.Onnx.Embeddings;

/// <summary>
/// One ONNX Runtime session of a transformer encoder that outputs token embeddings (<c>last_hidden_state</c>), shared
/// by every caller; it runs batches of tokenised texts over pooled buffers and pools each row.
/// </summary>
internal sealed class EmbeddingSession : IDisposable
{
    private readonly SessionOptions _sessionOptions;
    private readonly string[] _inputNames;
    private readonly bool _int32Inputs;
    private readonly string[] _outputNames;
    private long _runCount;

    private EmbeddingSession(InferenceSession session, SessionOptions sessionOptions, string modelPath)
    {
        Session = session;
        _sessionOptions = sessionOptions;
        ModelPath = modelPath;

        (_inputNames, _int32Inputs) = EncoderInputs.Discover(session, modelPath, "an embedding model");

        // Optimum and transformers.js exports name the token output last_hidden_state; sentence-transformers' own ONNX
        // export names it token_embeddings.
        (string outputName, int? hiddenSize) = TokenOutputs.Find(session, modelPath, ["last_hidden_state", "token_embeddings"], outputs =>
            $"'{modelPath}' has no token-embedding output: an embedding model's graph must output float last_hidden_state (or token_embeddings) shaped [batch, sequence, hidden]; its outputs are {outputs}. A sequence-classification (cross-encoder) export belongs in OnnxCrossEncoderReranker.");
        _outputNames = [outputName];
        OutputName = outputName;
        HiddenSize = hiddenSize;
    }

    /// <summary>Gets the ONNX Runtime session.</summary>
    public InferenceSession Session { get; }

    /// <summary>Gets the ONNX file.</summary>
    public string ModelPath { get; }

    /// <summary>Gets the name of the token-embedding output.</summary>
    public string OutputName { get; }

    /// <summary>Gets the hidden size when the graph states it.</summary>
    public int? HiddenSize { get; }

    /// <summary>Gets the graph's input names.</summary>
    public IReadOnlyList<string> InputNames => _inputNames;

    /// <summary>Gets the number of batches run since the session opened.</summary>
    public long RunCount => Interlocked.Read(ref _runCount);

    /// <summary>Opens a session with graph optimisation on, the options' thread settings and execution providers.</summary>
    /// <param name="modelPath">The ONNX file.</param>
    /// <param name="options">The generator options.</param>
    /// <returns>The session.</returns>
    /// <exception cref="OnnxModelLoadException">ONNX Runtime cannot load the file, or the graph is not an encoder with token outputs.</exception>
    /// <exception cref="OnnxExecutionProviderException">No requested execution provider can run the model and the CPU fall-back is off.</exception>
    public static EmbeddingSession Open(string modelPath, OnnxEmbeddingGeneratorOptions options) =>
        OnnxSessionFactory.Open(
            modelPath,
            new SessionSettings(nameof(OnnxEmbeddingGeneratorOptions), options.IntraOpNumThreads, options.InterOpNumThreads, options.ExecutionProviders, options.AllowCpuFallback, options.ConfigureSessionOptions, options.Logger),
            (session, sessionOptions) => new EmbeddingSession(session, sessionOptions, modelPath));

    /// <summary>Runs one batch and pools each row into <paramref name="embeddings"/> (row i at i × <paramref name="dimensions"/>).</summary>
    /// <param name="encodings">The tokenised texts of the call.</param>
    /// <param name="batch">The indices into <paramref name="encodings"/> of this batch.</param>
    /// <param name="padTokenId">The padding id.</param>
    /// <param name="runOptions">The call's run options, whose Terminate flag cancellation sets.</param>
    /// <param name="pooling">The pooling modes.</param>
    /// <param name="skip">Leading tokens left out of pooling.</param>
    /// <param name="embeddings">Receives batch.Length × dimensions values.</param>
    /// <param name="dimensions">The pooled size: modes × hidden.</param>
    /// <returns>The number of positions in the batch (rows × padded length).</returns>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime failed, or the run was terminated.</exception>
    /// <exception cref="InvalidOperationException">The output's shape does not match.</exception>
    public int Run(ReadOnlySpan<PairEncoding> encodings, ReadOnlySpan<int> batch, int padTokenId, RunOptions runOptions, IReadOnlyList<EmbeddingPooling> pooling, int skip, Span<float> embeddings, int dimensions) =>
        _int32Inputs
            ? Run<int>(encodings, batch, padTokenId, runOptions, pooling, skip, embeddings, dimensions)
            : Run<long>(encodings, batch, padTokenId, runOptions, pooling, skip, embeddings, dimensions);

    /// <inheritdoc />
    public void Dispose()
    {
        Session.Dispose();
        _sessionOptions.Dispose();
    }

    private int Run<T>(ReadOnlySpan<PairEncoding> encodings, ReadOnlySpan<int> batch, int padTokenId, RunOptions runOptions, IReadOnlyList<EmbeddingPooling> pooling, int skip, Span<float> embeddings, int dimensions)
        where T : unmanaged, IBinaryInteger<T>
    {
        using PooledBatch<T> tensors = PooledBatch<T>.Rent(encodings, batch, padTokenId, _inputNames.Contains("token_type_ids"));
        var inputs = new OrtValue[_inputNames.Length];
        try
        {
            long[] shape = [tensors.Rows, tensors.SequenceLength];
            for (int i = 0; i < inputs.Length; i++)
            {
                T[] buffer = _inputNames[i] switch
                {
                    "input_ids" => tensors.InputIds,
                    "attention_mask" => tensors.AttentionMask,
                    _ => tensors.TokenTypeIds!,
                };
                inputs[i] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<T>(buffer, 0, tensors.Size), shape);
            }

            Interlocked.Increment(ref _runCount);
            using IDisposableReadOnlyCollection<OrtValue> outputs = Session.Run(runOptions, _inputNames, inputs, _outputNames);
            PoolRows(outputs[0], encodings, batch, tensors.SequenceLength, pooling, skip, embeddings, dimensions);
            return tensors.Size;
        }
        finally
        {
            foreach (OrtValue? input in inputs)
            {
                input?.Dispose();
            }
        }
    }

    private void PoolRows(OrtValue output, ReadOnlySpan<PairEncoding> encodings, ReadOnlySpan<int> batch, int sequenceLength, IReadOnlyList<EmbeddingPooling> pooling, int skip, Span<float> embeddings, int dimensions)
    {
        OrtTensorTypeAndShapeInfo info = output.GetTensorTypeAndShape();
        long[] shape = info.Shape;
        if (shape.Length != 3 || shape[0] != batch.Length || shape[1] != sequenceLength || shape[2] * pooling.Count != dimensions)
        {
            throw new InvalidOperationException($"'{ModelPath}' returned '{OutputName}' shaped [{string.Join(", ", shape)}] for {batch.Length} texts of {sequenceLength} tokens; expected [{batch.Length}, {sequenceLength}, {dimensions / pooling.Count}].");
        }

        int hidden = (int)shape[2];
        int rowSize = sequenceLength * hidden;
        float[]? converted = null;
        try
        {
            ReadOnlySpan<float> values = TokenOutputs.ReadFloats(output, ref converted);
            for (int row = 0; row < batch.Length; row++)
            {
                TokenPooler.Pool(values.Slice(row * rowSize, rowSize), hidden, encodings[batch[row]].Length, skip, pooling, embeddings.Slice(row * dimensions, dimensions));
            }
        }
        finally
        {
            if (converted is not null)
            {
                ArrayPool<float>.Shared.Return(converted);
            }
        }
    }
}
