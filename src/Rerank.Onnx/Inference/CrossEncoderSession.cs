using System.Numerics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Rerank.Onnx.Tokenization;

namespace Rerank.Onnx.Inference;

/// <summary>
/// One ONNX Runtime session of a sequence-classification graph, shared by every caller: it learns the graph's inputs
/// and output when it opens, and runs batches of tokenised pairs over pooled buffers.
/// </summary>
/// <remarks><see cref="InferenceSession.Run(RunOptions, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue}, IReadOnlyCollection{string})"/> is thread-safe; each call to <see cref="Run"/> rents its own buffers.</remarks>
internal sealed class CrossEncoderSession : IDisposable
{
    private readonly SessionOptions _sessionOptions;
    private readonly string[] _inputNames;
    private readonly InputKind[] _inputKinds;
    private readonly TensorElementType _inputType;
    private readonly string[] _outputNames;
    private long _runCount;

    private CrossEncoderSession(InferenceSession session, SessionOptions sessionOptions, string modelPath)
    {
        Session = session;
        _sessionOptions = sessionOptions;
        ModelPath = modelPath;

        var names = new List<string>();
        var kinds = new List<InputKind>();
        TensorElementType? inputType = null;
        foreach ((string name, NodeMetadata metadata) in session.InputMetadata)
        {
            InputKind kind = name switch
            {
                "input_ids" => InputKind.InputIds,
                "attention_mask" => InputKind.AttentionMask,
                "token_type_ids" => InputKind.TokenTypeIds,
                _ => throw new OnnxModelLoadException(
                    $"'{modelPath}' has an input '{name}' that a cross-encoder does not feed; expected input_ids, attention_mask and optionally token_type_ids (inputs: {string.Join(", ", session.InputMetadata.Keys)}).",
                    modelPath),
            };

            TensorElementType type = metadata.IsTensor ? metadata.ElementDataType : TensorElementType.DataTypeMax;
            if (type is not (TensorElementType.Int64 or TensorElementType.Int32) || (inputType is { } previous && previous != type))
            {
                throw new OnnxModelLoadException($"'{modelPath}' takes input '{name}' as {type}; a cross-encoder's inputs must all be int64 (or all int32) tensors.", modelPath);
            }

            inputType = type;
            names.Add(name);
            kinds.Add(kind);
        }

        if (!kinds.Contains(InputKind.InputIds) || !kinds.Contains(InputKind.AttentionMask))
        {
            throw new OnnxModelLoadException(
                $"'{modelPath}' is not a cross-encoder graph: it needs the inputs input_ids and attention_mask, and has {string.Join(", ", session.InputMetadata.Keys)}.",
                modelPath);
        }

        _inputNames = [.. names];
        _inputKinds = [.. kinds];
        _inputType = inputType!.Value;

        // Exports name the classifier's output "logits"; take the first output of a graph that names it otherwise.
        string outputName = session.OutputMetadata.ContainsKey("logits") ? "logits" : session.OutputMetadata.Keys.First();
        NodeMetadata output = session.OutputMetadata[outputName];
        if (!output.IsTensor || output.ElementDataType is not (TensorElementType.Float or TensorElementType.Float16 or TensorElementType.Double)
            || output.Dimensions.Length is not (1 or 2))
        {
            throw new OnnxModelLoadException(
                $"'{modelPath}' is not a sequence classifier: its output '{outputName}' is {output.ElementDataType}[{string.Join(", ", output.Dimensions)}], and a cross-encoder needs float logits shaped [batch] or [batch, labels].",
                modelPath);
        }

        _outputNames = [outputName];
        OutputName = outputName;
        NumLabels = output.Dimensions.Length == 1 ? 1 : output.Dimensions[1] > 0 ? output.Dimensions[1] : null;
    }

    private enum InputKind
    {
        InputIds,
        AttentionMask,
        TokenTypeIds,
    }

    /// <summary>Gets the ONNX Runtime session.</summary>
    public InferenceSession Session { get; }

    /// <summary>Gets the ONNX file.</summary>
    public string ModelPath { get; }

    /// <summary>Gets the name of the logits output.</summary>
    public string OutputName { get; }

    /// <summary>Gets the number of labels when the graph states it, or <see langword="null"/> when the dimension is symbolic.</summary>
    public int? NumLabels { get; }

    /// <summary>Gets a value indicating whether the graph takes token_type_ids (BERT does; XLM-R and DistilBERT do not).</summary>
    public bool HasTokenTypeIds => _inputKinds.Contains(InputKind.TokenTypeIds);

    /// <summary>Gets the graph's input names, in the graph's order.</summary>
    public IReadOnlyList<string> InputNames => _inputNames;

    /// <summary>Gets the number of batches run since the session opened.</summary>
    public long RunCount => Interlocked.Read(ref _runCount);

    /// <summary>Opens a session with graph optimisation on, the options' thread settings and execution providers.</summary>
    /// <param name="modelPath">The ONNX file.</param>
    /// <param name="options">The reranker options.</param>
    /// <returns>The session.</returns>
    /// <exception cref="OnnxModelLoadException">ONNX Runtime cannot load the file, or the graph is not a cross-encoder.</exception>
    /// <exception cref="OnnxExecutionProviderException">No requested execution provider can run the model and the CPU fall-back is off.</exception>
    public static CrossEncoderSession Open(string modelPath, OnnxCrossEncoderOptions options) =>
        OnnxSessionFactory.Open(
            modelPath,
            new SessionSettings(nameof(OnnxCrossEncoderOptions), options.IntraOpNumThreads, options.InterOpNumThreads, options.ExecutionProviders, options.AllowCpuFallback, options.ConfigureSessionOptions, options.Logger),
            (session, sessionOptions) => new CrossEncoderSession(session, sessionOptions, modelPath));

    /// <summary>
    /// Runs one batch: the pairs <paramref name="encodings"/>[<paramref name="batch"/>[i]], padded to the longest of them,
    /// and writes each pair's logits to <paramref name="logits"/> (row i, <paramref name="numLabels"/> values).
    /// </summary>
    /// <param name="encodings">The tokenised pairs of the call.</param>
    /// <param name="batch">The indices into <paramref name="encodings"/> of this batch's pairs.</param>
    /// <param name="padTokenId">The padding id.</param>
    /// <param name="runOptions">The call's run options, whose Terminate flag cancellation sets.</param>
    /// <param name="logits">Receives batch.Length × numLabels logits.</param>
    /// <param name="numLabels">The number of labels expected per pair.</param>
    /// <returns>The number of positions in the batch (rows × padded length), for usage accounting.</returns>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime failed, or the run was terminated.</exception>
    /// <exception cref="InvalidOperationException">The output's shape does not match the expected number of labels.</exception>
    public int Run(ReadOnlySpan<PairEncoding> encodings, ReadOnlySpan<int> batch, int padTokenId, RunOptions runOptions, Span<float> logits, int numLabels) =>
        _inputType == TensorElementType.Int32
            ? Run<int>(encodings, batch, padTokenId, runOptions, logits, numLabels)
            : Run<long>(encodings, batch, padTokenId, runOptions, logits, numLabels);

    /// <inheritdoc />
    public void Dispose()
    {
        Session.Dispose();
        _sessionOptions.Dispose();
    }

    private int Run<T>(ReadOnlySpan<PairEncoding> encodings, ReadOnlySpan<int> batch, int padTokenId, RunOptions runOptions, Span<float> logits, int numLabels)
        where T : unmanaged, IBinaryInteger<T>
    {
        using PooledBatch<T> tensors = PooledBatch<T>.Rent(encodings, batch, padTokenId, HasTokenTypeIds);
        var inputs = new OrtValue[_inputNames.Length];
        try
        {
            long[] shape = [tensors.Rows, tensors.SequenceLength];
            for (int i = 0; i < inputs.Length; i++)
            {
                T[] buffer = _inputKinds[i] switch
                {
                    InputKind.InputIds => tensors.InputIds,
                    InputKind.AttentionMask => tensors.AttentionMask,
                    _ => tensors.TokenTypeIds!,
                };
                inputs[i] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<T>(buffer, 0, tensors.Size), shape);
            }

            Interlocked.Increment(ref _runCount);
            using IDisposableReadOnlyCollection<OrtValue> outputs = Session.Run(runOptions, _inputNames, inputs, _outputNames);
            CopyLogits(outputs[0], batch.Length, logits, numLabels);
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

    private void CopyLogits(OrtValue output, int rows, Span<float> logits, int numLabels)
    {
        OrtTensorTypeAndShapeInfo info = output.GetTensorTypeAndShape();
        long[] shape = info.Shape;
        long labels = shape.Length == 1 ? 1 : shape.Length == 2 ? shape[1] : -1;
        if (shape.Length is 0 or > 2 || shape[0] != rows || labels != numLabels)
        {
            throw new InvalidOperationException($"'{ModelPath}' returned '{OutputName}' shaped [{string.Join(", ", shape)}] for {rows} pairs; expected [{rows}, {numLabels}].");
        }

        Span<float> target = logits[..(rows * numLabels)];
        switch (info.ElementDataType)
        {
            case TensorElementType.Float:
                output.GetTensorDataAsSpan<float>().CopyTo(target);
                break;
            case TensorElementType.Float16:
                ReadOnlySpan<Float16> halves = output.GetTensorDataAsSpan<Float16>();
                for (int i = 0; i < target.Length; i++)
                {
                    target[i] = halves[i].ToFloat();
                }

                break;
            default:
                ReadOnlySpan<double> doubles = output.GetTensorDataAsSpan<double>();
                for (int i = 0; i < target.Length; i++)
                {
                    target[i] = (float)doubles[i];
                }

                break;
        }
    }
}
