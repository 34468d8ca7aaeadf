using System.Buffers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using Rerank.Onnx.Inference;
using Rerank.Onnx.Model;
using Rerank.Onnx.Tokenization;

namespace Rerank.Onnx;

/// <summary>
/// Reranks locally with a cross-encoder run by ONNX Runtime, giving the scores sentence-transformers'
/// <c>CrossEncoder.predict</c> gives on the same model files.
/// </summary>
/// <remarks>
/// <para>
/// Load a Hugging Face model folder with <c>new OnnxCrossEncoderReranker("path/to/model")</c>, or configure one
/// with <see cref="OnnxCrossEncoderOptions"/>. Pairs are tokenised as the Hugging Face fast tokenizer does with
/// <c>truncation="longest_first"</c>, sorted by length, run in batches of <see cref="OnnxCrossEncoderOptions.BatchSize"/>
/// padded only to the longest pair of each batch, and scored with the model's activation.
/// </para>
/// <para>
/// One instance holds one ONNX Runtime session and is safe to share between any number of concurrent callers.
/// <see cref="RerankAsync"/> checks its arguments on the calling thread, then returns at once and runs tokenisation and
/// inference on the thread pool, so that timeouts, cancellation and concurrent hybrid signals work over it as over a
/// remote reranker (the cost, one thread-pool hop per call, is measured in docs/performance.md). Cancellation is checked
/// between batches and also stops a batch that is running.
/// </para>
/// <para>
/// <see cref="Dispose"/> may be called while calls run: it stops their running batch, waits until every call has left
/// the ONNX Runtime session, and only then frees it. Those calls, and every later one, fail with
/// <see cref="ObjectDisposedException"/>.
/// </para>
/// <para>
/// Truncation is never silent: when a pair is longer than <see cref="MaxLength"/>, the response lists the
/// document and how many tokens were dropped under <see cref="RerankResponseProperties.OnnxTruncations"/> in
/// <see cref="RerankResponse.AdditionalProperties"/>, and the logger gets a warning. The query is tokenised once per
/// call, and of a long document only a start that surely holds every token the pair can keep (the ids are exactly
/// those of tokenising it whole); for such a document the count is a lower bound, marked by
/// <see cref="CrossEncoderTruncation.DocumentTokensDroppedIsLowerBound"/>.
/// </para>
/// <para>
/// One instance serves one model: <see cref="RerankOptions.ModelId"/> is not consulted, and every response reports
/// <see cref="ModelId"/>. <see cref="RerankOptions.MaxTokensPerDocument"/> caps the document side of each pair (exactly
/// when the query has no more tokens than the cap).
/// </para>
/// </remarks>
public sealed partial class OnnxCrossEncoderReranker : IReranker
{
    /// <summary>The provider name reported in <see cref="RerankerMetadata"/>.</summary>
    public const string ProviderName = "onnx";

    private const int MaxTruncationsLogged = 10;

    private readonly IPairTokenizer _tokenizer;
    private readonly CrossEncoderSession _session;
    private readonly ScoreHead _head;
    private readonly int _batchSize;
    private readonly int _hiddenSize;
    private readonly ILogger _logger;
    private readonly RerankerMetadata _metadata;
    private int _disposed;

    // Calls between Enter and Exit: Dispose frees the session only once this is zero, so no call runs on freed memory.
    private int _inFlight;
    private int _sessionReleased;
    private readonly object _drain = new();
    private readonly CancellationTokenSource _disposing = new();

    // Set on the thread running a call, so that Dispose from inside one (an AfterBatch callback) does not wait for itself.
    [ThreadStatic]
    private static int t_callsOnThisThread;

    /// <summary>Initializes a new instance of the <see cref="OnnxCrossEncoderReranker"/> class from a Hugging Face model folder, with default options.</summary>
    /// <param name="modelDirectory">The folder holding config.json, the tokenizer files and <c>model.onnx</c> or <c>onnx/model.onnx</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="modelDirectory"/> is null or empty.</exception>
    /// <exception cref="OnnxModelNotFoundException">The folder or a file in it does not exist; the message names every path looked at.</exception>
    /// <exception cref="OnnxModelLoadException">A file is corrupt or not what a cross-encoder needs.</exception>
    public OnnxCrossEncoderReranker(string modelDirectory)
        : this(new OnnxCrossEncoderOptions(ValidateDirectory(modelDirectory)))
    {
    }

    /// <summary>Initializes a new instance of the <see cref="OnnxCrossEncoderReranker"/> class.</summary>
    /// <param name="options">The options; read once, here.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Neither <see cref="OnnxCrossEncoderOptions.ModelDirectory"/> nor both <see cref="OnnxCrossEncoderOptions.ModelPath"/> and <see cref="OnnxCrossEncoderOptions.TokenizerPath"/> are set.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A number is out of range, or does not fit the model (such as a <see cref="OnnxCrossEncoderOptions.MaxLength"/> beyond its position embeddings).</exception>
    /// <exception cref="OnnxModelNotFoundException">A file does not exist; the message names every path looked at.</exception>
    /// <exception cref="OnnxModelLoadException">A file is corrupt or not what a cross-encoder needs.</exception>
    public OnnxCrossEncoderReranker(OnnxCrossEncoderOptions options)
        : this(options, static files => TokenizerSource.Load(files))
    {
    }

    /// <summary>Initializes a new instance of the <see cref="OnnxCrossEncoderReranker"/> class with a tokenizer made by <paramref name="tokenizerFactory"/> (tests use a fake one).</summary>
    internal OnnxCrossEncoderReranker(OnnxCrossEncoderOptions options, Func<ModelFiles, IPairTokenizer> tokenizerFactory)
    {
        ValidateOptions(options);
        _logger = options.Logger ?? NullLogger.Instance;
        _batchSize = options.BatchSize;

        ModelFiles files = ModelFiles.Resolve(options);
        ModelConfig config = files.ConfigPath is { } configPath ? ModelConfig.Load(configPath) : ModelConfig.Empty;
        _hiddenSize = config.HiddenSize is > 0 and int hidden ? hidden : 768;
        int? modelMaxLength = files.TokenizerConfigPath is { } tokenizerConfigPath ? TokenizerSource.ReadModelMaxLength(tokenizerConfigPath) : null;
        _tokenizer = tokenizerFactory(files);

        _session = CrossEncoderSession.Open(files.ModelPath, options);
        try
        {
            int numLabels = _session.NumLabels ?? config.NumLabels ?? 1;
            if (_session.NumLabels is int graphLabels && config.NumLabels is int configLabels && graphLabels != configLabels)
            {
                throw new OnnxModelLoadException(
                    $"config.json says the model has {configLabels} label(s), but '{files.ModelPath}' outputs {graphLabels}. The ONNX file and config.json belong to different models.",
                    files.ModelPath);
            }

            _head = ScoreHead.Create(config, numLabels, options.Activation, options.LabelIndex, out string? ignoredActivation);
            if (ignoredActivation is not null)
            {
                LogIgnoredActivation(_logger, ignoredActivation, _head.Activation);
            }

            MaxLength = ChooseMaxLength(options.MaxLength, modelMaxLength, config.UsablePositions, _tokenizer.SpecialTokensInPair);
            ModelId = options.ModelId ?? DeriveModelId(options.ModelDirectory ?? files.ConfigDirectory);
            ModelPath = files.ModelPath;
            _metadata = new RerankerMetadata(ProviderName, new Uri(files.ModelPath), ModelId)
            {
                ScoreSemantics = RerankScoreSemantics.Pointwise,
                ScoringFingerprint = ModelFingerprint.Create(files, options.ModelVariant, _head.Activation, _head.LabelIndex, MaxLength, _tokenizer.Kind),
            };
            LogLoaded(_logger, ModelId, files.ModelPath, _tokenizer.Kind, MaxLength, _head.Activation, _head.Source, numLabels, string.Join(", ", _session.InputNames));
            if (Int8Hardware.SaturatesSignedInt8 && Int8Hardware.IsVnniExport(files.ModelPath))
            {
                LogInt8Saturation(_logger, files.ModelPath);
            }
        }
        catch
        {
            _session.Dispose();
            throw;
        }
    }

    /// <summary>Gets the model's name, as reported in <see cref="RerankResponse.ModelId"/>.</summary>
    public string ModelId { get; }

    /// <summary>Gets the ONNX file that was loaded.</summary>
    public string ModelPath { get; }

    /// <summary>Gets the most tokens of a pair, special tokens included; longer pairs are truncated.</summary>
    public int MaxLength { get; }

    /// <summary>Gets the activation applied to the logits.</summary>
    public CrossEncoderActivation Activation => _head.Activation;

    /// <summary>Gets the number of special tokens a (query, document) pair adds: 3 for BERT, 4 for XLM-RoBERTa.</summary>
    public int SpecialTokensInPair => _tokenizer.SpecialTokensInPair;

    /// <summary>
    /// Counts the tokens the model's tokenizer makes of <paramref name="text"/>, without special tokens and without
    /// truncation, e.g. to size the chunks of <c>UseLongDocuments</c> in the model's own tokens.
    /// </summary>
    /// <param name="text">The text to count.</param>
    /// <returns>The number of tokens.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="ObjectDisposedException">The reranker has been disposed.</exception>
    /// <remarks>Thread-safe, like the reranker. Its cost is one tokenisation of the text.</remarks>
    public int CountTokens(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _tokenizer.Encode(text).Length;
    }

    /// <summary>Gets the number of session runs (batches) since construction, for tests and diagnostics.</summary>
    internal long SessionRunCount => _session.RunCount;

    /// <summary>Gets or sets a callback run after each batch with the batch's number, so tests can act between batches.</summary>
    internal Action<int>? AfterBatch { get; set; }

    /// <inheritdoc />
    /// <remarks>Arguments, disposal and a cancelled token are checked on the calling thread; the work then runs on the thread pool.</remarks>
    public Task<RerankResponse> RerankAsync(string query, IEnumerable<RerankDocument> documents, RerankOptions? options = null, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<RerankDocument> list = RerankContract.ValidateArguments(query, documents, options);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (list.Count == 0)
        {
            return Task.FromResult(new RerankResponse([]) { ModelId = ModelId, Usage = new RerankUsage { InputTokenCount = 0 } });
        }

        cancellationToken.ThrowIfCancellationRequested();
        Enter();
        try
        {
            return Task.Run(() => RerankEntered(query, list, options, cancellationToken), CancellationToken.None);
        }
        catch
        {
            Exit();
            throw;
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        return serviceType == typeof(RerankerMetadata) ? _metadata
            : serviceType == typeof(InferenceSession) ? _session.Session
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <summary>
    /// Stops the calls that are running, waits until they have left the ONNX Runtime session, and releases it. Those
    /// calls and every later one fail with <see cref="ObjectDisposedException"/>. Idempotent and thread-safe.
    /// </summary>
    /// <remarks>
    /// Called from inside a call (a callback on the inference thread), it does not wait; the session is then released
    /// by the last call to leave it.
    /// </remarks>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Sets RunOptions.Terminate of every running batch (see Rerank), so the wait is one operator at most.
        _disposing.Cancel();
        if (t_callsOnThisThread == 0)
        {
            lock (_drain)
            {
                while (Volatile.Read(ref _inFlight) != 0)
                {
                    Monitor.Wait(_drain);
                }
            }
        }

        if (Volatile.Read(ref _inFlight) == 0)
        {
            ReleaseSession();
        }
    }

    internal static int ChooseMaxLength(int? requested, int? modelMaxLength, int? usablePositions, int specialTokens)
    {
        const int Ceiling = 512;
        int minimum = specialTokens;
        if (requested is int value)
        {
            if (value < minimum)
            {
                throw new ArgumentOutOfRangeException(nameof(requested), value, $"OnnxCrossEncoderOptions.MaxLength must be at least {minimum}, the special tokens of a pair; a useful limit leaves room for the query and the document.");
            }

            if (usablePositions is int positions && value > positions)
            {
                throw new ArgumentOutOfRangeException(nameof(requested), value, $"OnnxCrossEncoderOptions.MaxLength {value} exceeds the model's {positions} usable position embeddings (config.json max_position_embeddings).");
            }

            return value;
        }

        int chosen = Ceiling;
        if (modelMaxLength is int fromTokenizer && fromTokenizer >= minimum)
        {
            chosen = Math.Min(chosen, fromTokenizer);
        }

        if (usablePositions is int usable && usable >= minimum)
        {
            chosen = Math.Min(chosen, usable);
        }

        return chosen;
    }

    /// <summary>Derives <c>org/name</c> from a huggingface_hub cache path (<c>…/models--org--name/snapshots/&lt;commit&gt;</c>), else the folder name.</summary>
    internal static string DeriveModelId(string directory)
    {
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        string? snapshots = Path.GetDirectoryName(full);
        string? repo = snapshots is null ? null : Path.GetDirectoryName(snapshots);
        if (repo is not null && Path.GetFileName(snapshots) == "snapshots" && Path.GetFileName(repo) is { } cacheName
            && cacheName.StartsWith("models--", StringComparison.Ordinal))
        {
            return cacheName["models--".Length..].Replace("--", "/", StringComparison.Ordinal);
        }

        return Path.GetFileName(full);
    }

    private static string ValidateDirectory(string modelDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelDirectory);
        return modelDirectory;
    }

    private static void ValidateOptions(OnnxCrossEncoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.ModelDirectory) && (string.IsNullOrWhiteSpace(options.ModelPath) || string.IsNullOrWhiteSpace(options.TokenizerPath)))
        {
            throw new ArgumentException("Set OnnxCrossEncoderOptions.ModelDirectory to a Hugging Face model folder, or set both ModelPath (the .onnx file) and TokenizerPath.", nameof(options));
        }

        if (options.BatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.BatchSize, "OnnxCrossEncoderOptions.BatchSize must be at least 1.");
        }

        if (options.IntraOpNumThreads < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.IntraOpNumThreads, "OnnxCrossEncoderOptions.IntraOpNumThreads must not be negative.");
        }

        if (options.InterOpNumThreads < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.InterOpNumThreads, "OnnxCrossEncoderOptions.InterOpNumThreads must not be negative.");
        }

        if (options.LabelIndex < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.LabelIndex, "OnnxCrossEncoderOptions.LabelIndex must not be negative.");
        }

        if (options.Activation is { } activation && !Enum.IsDefined(activation))
        {
            throw new ArgumentOutOfRangeException(nameof(options), activation, "OnnxCrossEncoderOptions.Activation is not a CrossEncoderActivation value.");
        }

        if (!Enum.IsDefined(options.ModelVariant))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ModelVariant, "OnnxCrossEncoderOptions.ModelVariant is not an OnnxModelVariant value.");
        }
    }

    private void Enter()
    {
        Interlocked.Increment(ref _inFlight);
        if (Volatile.Read(ref _disposed) != 0)
        {
            Exit();
            throw new ObjectDisposedException(GetType().FullName);
        }
    }

    private void Exit()
    {
        if (Interlocked.Decrement(ref _inFlight) == 0 && Volatile.Read(ref _disposed) != 0)
        {
            lock (_drain)
            {
                Monitor.PulseAll(_drain);
            }

            ReleaseSession();
        }
    }

    private void ReleaseSession()
    {
        if (Interlocked.Exchange(ref _sessionReleased, 1) == 0)
        {
            // _disposing is not disposed: it holds no timer or handle, and a late Token read must not throw.
            _session.Dispose();
        }
    }

    private RerankResponse RerankEntered(string query, IReadOnlyList<RerankDocument> documents, RerankOptions? options, CancellationToken cancellationToken)
    {
        t_callsOnThisThread++;
        try
        {
            return Rerank(query, documents, options, cancellationToken);
        }
        catch (Exception ex) when (_disposing.IsCancellationRequested && !cancellationToken.IsCancellationRequested && ex is OperationCanceledException or OnnxRuntimeException)
        {
            throw new ObjectDisposedException(GetType().FullName, "The reranker was disposed while the call was running.");
        }
        finally
        {
            t_callsOnThisThread--;
            Exit();
        }
    }

    private RerankResponse Rerank(string query, IReadOnlyList<RerankDocument> documents, RerankOptions? options, CancellationToken cancellationToken)
    {
        _disposing.Token.ThrowIfCancellationRequested();
        int count = documents.Count;
        int maxLength = MaxLength;
        EncodedQuery encodedQuery = _tokenizer.EncodeQuery(query);
        if (options?.MaxTokensPerDocument is int maxDocumentTokens)
        {
            // The pair budget becomes query + cap, never more than MaxLength: longest_first then cuts only the document, to the
            // cap, whenever the query has at most cap tokens. A longer query makes longest_first split the budget, and the
            // document keeps about (query + cap) / 2 tokens; the truncation report gives the real counts either way.
            maxLength = (int)Math.Min(maxLength, (long)_tokenizer.SpecialTokensInPair + encodedQuery.Ids.Length + maxDocumentTokens);
        }

        PairEncoding[] encodings = ArrayPool<PairEncoding>.Shared.Rent(count);
        int[] order = ArrayPool<int>.Shared.Rent(count);
        int[] batchStarts = ArrayPool<int>.Shared.Rent(count + 1);
        float[] logits = ArrayPool<float>.Shared.Rent(Math.Min(count, _batchSize) * _head.NumLabels);
        var scores = new double[count];
        List<CrossEncoderTruncation>? truncations = null;
        long inputTokens = 0, paddedTokens = 0;
        int batches = 0;
        try
        {
            for (int i = 0; i < count; i++)
            {
                if ((i & 63) == 63)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    _disposing.Token.ThrowIfCancellationRequested();
                }

                PairEncoding encoding = _tokenizer.EncodePair(encodedQuery, documents[i].Text, maxLength);
                encodings[i] = encoding;
                inputTokens += encoding.Length;
                if (encoding.DocumentTokensDropped > 0 || encoding.QueryTokensDropped > 0)
                {
                    (truncations ??= []).Add(new CrossEncoderTruncation(i, encoding.DocumentTokensDropped, encoding.QueryTokensDropped)
                    {
                        DocumentTokensDroppedIsLowerBound = encoding.DocumentCutBeforeTokenization,
                    });
                }
            }

            int batchCount = PlanBatches(encodings.AsSpan(0, count), order.AsSpan(0, count), batchStarts);

            using var runOptions = new RunOptions();
            using CancellationTokenRegistration registration = cancellationToken.Register(static state => ((RunOptions)state!).Terminate = true, runOptions);
            using CancellationTokenRegistration disposal = _disposing.Token.Register(static state => ((RunOptions)state!).Terminate = true, runOptions);
            for (int b = 0; b < batchCount; b++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                _disposing.Token.ThrowIfCancellationRequested();
                ReadOnlySpan<int> batch = order.AsSpan(batchStarts[b], batchStarts[b + 1] - batchStarts[b]);
                try
                {
                    paddedTokens += _session.Run(encodings.AsSpan(0, count), batch, _tokenizer.PadTokenId, runOptions, logits, _head.NumLabels);
                }
                catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
                {
                    throw new OperationCanceledException("The reranking call was cancelled while the model was running.", cancellationToken);
                }

                batches++;
                for (int row = 0; row < batch.Length; row++)
                {
                    scores[batch[row]] = _head.Score(logits.AsSpan(row * _head.NumLabels, _head.NumLabels));
                }

                AfterBatch?.Invoke(batches);
            }
        }
        finally
        {
            ArrayPool<PairEncoding>.Shared.Return(encodings, clearArray: true);
            ArrayPool<int>.Shared.Return(order);
            ArrayPool<int>.Shared.Return(batchStarts);
            ArrayPool<float>.Shared.Return(logits);
        }

        if (truncations is not null)
        {
            LogTruncations(count, maxLength, truncations);
        }

        var response = new RerankResponse(RerankContract.Rank(documents, scores, options))
        {
            ModelId = ModelId,
            Usage = new RerankUsage
            {
                InputTokenCount = inputTokens,
                TotalTokenCount = inputTokens,
                AdditionalCounts = new Dictionary<string, long>(StringComparer.Ordinal) { ["batches"] = batches, ["padded_tokens"] = paddedTokens },
            },
        };

        if (truncations is not null)
        {
            response.AdditionalProperties = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                [RerankResponseProperties.OnnxTruncations] = truncations.AsReadOnly(),
                [RerankResponseProperties.TruncatedDocuments] = truncations.Count,
            };
        }

        return response;
    }

    /// <summary>Sorts the pairs longest first and plans the batches (see <see cref="BatchPlanner"/>).</summary>
    /// <param name="encodings">The tokenised pairs.</param>
    /// <param name="order">Receives the pair indices in the order they run.</param>
    /// <param name="batchStarts">Receives each batch's start in <paramref name="order"/>, then its length; at least one longer than the pairs.</param>
    /// <returns>The number of batches.</returns>
    internal int PlanBatches(ReadOnlySpan<PairEncoding> encodings, Span<int> order, Span<int> batchStarts)
    {
        SortByLength(encodings, order);
        int[] lengths = ArrayPool<int>.Shared.Rent(encodings.Length);
        try
        {
            for (int i = 0; i < encodings.Length; i++)
            {
                lengths[i] = encodings[order[i]].Length;
            }

            return BatchPlanner.Plan(lengths.AsSpan(0, encodings.Length), _batchSize, _hiddenSize, batchStarts);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(lengths);
        }
    }

    /// <summary>Orders pair indices longest first, ties in input order, so that each batch holds pairs of similar length.</summary>
    internal static void SortByLength(ReadOnlySpan<PairEncoding> encodings, Span<int> order)
    {
        long[] keys = ArrayPool<long>.Shared.Rent(encodings.Length);
        try
        {
            for (int i = 0; i < encodings.Length; i++)
            {
                // Negated length in the high half sorts longest first; the index in the low half breaks ties in input order.
                keys[i] = ((long)(int.MaxValue - encodings[i].Length) << 32) | (uint)i;
            }

            Span<long> span = keys.AsSpan(0, encodings.Length);
            span.Sort();
            for (int i = 0; i < span.Length; i++)
            {
                order[i] = (int)(span[i] & 0xFFFFFFFF);
            }
        }
        finally
        {
            ArrayPool<long>.Shared.Return(keys);
        }
    }

    private void LogTruncations(int count, int maxLength, List<CrossEncoderTruncation> truncations)
    {
        if (!_logger.IsEnabled(LogLevel.Warning))
        {
            return;
        }

        string details = string.Join("; ", truncations.Take(MaxTruncationsLogged).Select(t =>
            t.QueryTokensDropped > 0 ? $"#{t.Index}: {t.DocumentTokensDropped} document and {t.QueryTokensDropped} query tokens" : $"#{t.Index}: {t.DocumentTokensDropped} tokens"));
        if (truncations.Count > MaxTruncationsLogged)
        {
            details += $"; and {truncations.Count - MaxTruncationsLogged} more";
        }

        LogTruncated(_logger, truncations.Count, count, maxLength, ModelId, details);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Truncated {TruncatedCount} of {DocumentCount} documents to fit {MaxLength} tokens per pair of {ModelId} (tokens dropped: {Details}).")]
    private static partial void LogTruncated(ILogger logger, int truncatedCount, int documentCount, int maxLength, string modelId, string details);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Loaded cross-encoder {ModelId} from {ModelPath}: tokenizer {Tokenizer}, max length {MaxLength}, activation {Activation} ({ActivationSource}), {NumLabels} label(s), inputs {Inputs}.")]
    private static partial void LogLoaded(ILogger logger, string modelId, string modelPath, string tokenizer, int maxLength, CrossEncoderActivation activation, string activationSource, int numLabels, string inputs);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "{ModelPath} is an int8 export made for CPUs with VNNI; this CPU has none, so ONNX Runtime's int8 kernels saturate and scores can differ from float32 by tenths. Use model_quint8_avx2.onnx or the float32 model on this machine.")]
    private static partial void LogInt8Saturation(ILogger logger, string modelPath);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "config.json names the activation {ActivationClass}, which is not a torch class; as sentence-transformers does without trust_remote_code, it is ignored and {Activation} is used.")]
    private static partial void LogIgnoredActivation(ILogger logger, string activationClass, CrossEncoderActivation activation);
}
