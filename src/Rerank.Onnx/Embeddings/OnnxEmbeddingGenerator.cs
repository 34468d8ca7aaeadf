using System.Buffers;
using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using Rerank.Onnx.Embeddings;
using Rerank.Onnx.Inference;
using Rerank.Onnx.Model;
using Rerank.Onnx.Tokenization;

namespace Rerank.Onnx;

/// <summary>
/// Embeds text locally with a sentence-transformers bi-encoder run by ONNX Runtime (all-MiniLM, bge, e5, gte, nomic, ...),
/// giving the vectors sentence-transformers' <c>SentenceTransformer.encode</c> gives on the same model files.
/// </summary>
/// <remarks>
/// <para>
/// Load a model folder with <c>new OnnxEmbeddingGenerator("path/to/model")</c>, configure one with
/// <see cref="OnnxEmbeddingGeneratorOptions"/>, or get one from the Hugging Face cache with
/// <c>OnnxEmbeddingGenerator.FromPretrainedAsync("sentence-transformers/all-MiniLM-L6-v2")</c>. The pooling,
/// normalisation, maximum length and prompts are read from the folder's sentence-transformers files; a folder without a
/// pooling configuration gets mean pooling (sentence-transformers' default) and the logger is told.
/// </para>
/// <para>
/// Texts are tokenised with the model's Hugging Face tokenizer, truncated at the end to <see cref="MaxLength"/> tokens
/// (never tokenising much more of a huge text than that), sorted by length and run in batches padded only to their
/// longest text. The work runs on the thread pool, not on the caller's thread.
/// </para>
/// <para>
/// A prompt (e5's <c>query: </c> and <c>passage: </c>, nomic's <c>search_query: </c>) is chosen per call with
/// <see cref="PromptNameProperty"/> or <see cref="PromptProperty"/> in <see cref="EmbeddingGenerationOptions.AdditionalProperties"/>,
/// else <see cref="OnnxEmbeddingGeneratorOptions.DefaultPromptName"/>, else the model's <c>default_prompt_name</c>.
/// <see cref="EmbeddingGenerationOptions.Dimensions"/> keeps the first dimensions (Matryoshka models), as
/// sentence-transformers' <c>truncate_dim</c> does; <see cref="EmbeddingGenerationOptions.ModelId"/> is not consulted.
/// </para>
/// <para>
/// One instance holds one ONNX Runtime session and is safe to share between concurrent callers. <see cref="Dispose"/>
/// waits for the calls that are running, each of which stops at its next batch with <see cref="ObjectDisposedException"/>
/// (the batch running finishes first); calls made afterwards throw <see cref="ObjectDisposedException"/> too.
/// </para>
/// </remarks>
public sealed partial class OnnxEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>The provider name reported in <see cref="EmbeddingGeneratorMetadata"/>.</summary>
    public const string ProviderName = "onnx";

    /// <summary>The <see cref="EmbeddingGenerationOptions.AdditionalProperties"/> key that names a prompt of the model's <c>prompts</c> (a <see cref="string"/>, such as <c>query</c>).</summary>
    public const string PromptNameProperty = "prompt_name";

    /// <summary>The <see cref="EmbeddingGenerationOptions.AdditionalProperties"/> key of a literal prompt put before each text (a <see cref="string"/>); it wins over <see cref="PromptNameProperty"/>.</summary>
    public const string PromptProperty = "prompt";

    private readonly SingleTextEncoder _encoder;
    private readonly EmbeddingSession _session;
    private readonly IReadOnlyList<EmbeddingPooling> _pooling;
    private readonly bool _normalize;
    private readonly bool _includePrompt;
    private readonly IReadOnlyDictionary<string, string> _prompts;
    private readonly string? _defaultPromptName;
    private readonly int _batchSize;
    private readonly int _hiddenSize;
    private readonly ILogger _logger;
    private readonly EmbeddingGeneratorMetadata _metadata;
    private readonly CallGate _calls = new();
    private readonly Lazy<string> _fingerprint;

    /// <summary>Initializes a new instance of the <see cref="OnnxEmbeddingGenerator"/> class from a model folder, with default options.</summary>
    /// <param name="modelDirectory">The folder holding config.json, the tokenizer files, the sentence-transformers files and <c>model.onnx</c> or <c>onnx/model.onnx</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="modelDirectory"/> is null or empty.</exception>
    /// <exception cref="OnnxModelNotFoundException">The folder or a file in it does not exist; the message names every path looked at.</exception>
    /// <exception cref="OnnxModelLoadException">A file is corrupt or not what an embedding model needs.</exception>
    public OnnxEmbeddingGenerator(string modelDirectory)
        : this(new OnnxEmbeddingGeneratorOptions(ValidateDirectory(modelDirectory)))
    {
    }

    /// <summary>Initializes a new instance of the <see cref="OnnxEmbeddingGenerator"/> class.</summary>
    /// <param name="options">The options; read once, here.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Neither <see cref="OnnxEmbeddingGeneratorOptions.ModelDirectory"/> nor both <see cref="OnnxEmbeddingGeneratorOptions.ModelPath"/> and <see cref="OnnxEmbeddingGeneratorOptions.TokenizerPath"/> are set, or <see cref="OnnxEmbeddingGeneratorOptions.DefaultPromptName"/> names no prompt of the model.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A number is out of range or does not fit the model.</exception>
    /// <exception cref="OnnxModelNotFoundException">A file does not exist; the message names every path looked at.</exception>
    /// <exception cref="OnnxModelLoadException">A file is corrupt or not what an embedding model needs.</exception>
    public OnnxEmbeddingGenerator(OnnxEmbeddingGeneratorOptions options)
    {
        ValidateOptions(options);
        _logger = options.Logger ?? NullLogger.Instance;
        _batchSize = options.BatchSize;

        ModelFiles files = ModelFiles.Resolve(options.ModelDirectory, options.ModelPath, options.TokenizerPath, options.ModelVariant, nameof(OnnxEmbeddingGeneratorOptions));
        ModelConfig config = files.ConfigPath is { } configPath ? ModelConfig.Load(configPath) : ModelConfig.Empty;
        SentenceTransformerConfig st = SentenceTransformerConfig.Load(files.ConfigDirectory);
        int? modelMaxLength = files.TokenizerConfigPath is { } tokenizerConfigPath ? TokenizerSource.ReadModelMaxLength(tokenizerConfigPath) : null;
        _encoder = new SingleTextEncoder(TokenizerSource.Load(files));

        _pooling = options.Pooling is { } pooling ? [pooling] : st.Pooling.Count > 0 ? st.Pooling : [EmbeddingPooling.Mean];
        _normalize = options.Normalize ?? st.Normalize;
        _includePrompt = st.IncludePrompt;
        _prompts = st.Prompts;
        _defaultPromptName = options.DefaultPromptName ?? st.DefaultPromptName;
        if (_defaultPromptName is not null && !_prompts.ContainsKey(_defaultPromptName))
        {
            throw new ArgumentException($"The prompt '{_defaultPromptName}' is not one of the model's prompts ({DescribePrompts(_prompts)}); config_sentence_transformers.json lists them.", nameof(options));
        }

        ModelId = options.ModelId ?? OnnxCrossEncoderReranker.DeriveModelId(options.ModelDirectory ?? files.ConfigDirectory);
        _session = EmbeddingSession.Open(files.ModelPath, options);
        try
        {
            _hiddenSize = _session.HiddenSize ?? config.HiddenSize ?? throw new OnnxModelLoadException(
                $"Neither '{files.ModelPath}' nor config.json states the hidden size; add config.json (with hidden_size) to the folder.", files.ModelPath);
            if (config.HiddenSize is int configured && _session.HiddenSize is int graph && configured != graph)
            {
                throw new OnnxModelLoadException($"config.json says hidden_size {configured}, but '{files.ModelPath}' outputs {graph}. The ONNX file and config.json belong to different models.", files.ModelPath);
            }

            MaxLength = ChooseMaxLength(options.MaxLength, st.MaxSeqLength, modelMaxLength, config.UsablePositions);
            Dimensions = _hiddenSize * _pooling.Count;
            ModelPath = files.ModelPath;
            _metadata = new EmbeddingGeneratorMetadata(ProviderName, new Uri(files.ModelPath), ModelId, Dimensions);
            string poolingNames = string.Join("+", _pooling);
            _fingerprint = new Lazy<string>(() => EmbeddingFingerprint(files, _encoder.Kind, poolingNames, _normalize, MaxLength, _includePrompt, _defaultPromptName is null ? null : _prompts[_defaultPromptName]));
            if (options.Pooling is null && st.PoolingConfigPath is null)
            {
                LogDefaultPooling(_logger, ModelId, files.ConfigDirectory);
            }

            LogLoaded(_logger, ModelId, files.ModelPath, _encoder.Kind, MaxLength, string.Join("+", _pooling), _normalize, Dimensions);
        }
        catch
        {
            _session.Dispose();
            throw;
        }
    }

    /// <summary>Gets the model's name, reported in <see cref="EmbeddingGeneratorMetadata"/> and on each embedding.</summary>
    public string ModelId { get; }

    /// <summary>Gets the ONNX file that was loaded.</summary>
    public string ModelPath { get; }

    /// <summary>Gets the most tokens of one text, special tokens and prompt included; longer texts are truncated at the end.</summary>
    public int MaxLength { get; }

    /// <summary>Gets the number of dimensions of each embedding.</summary>
    public int Dimensions { get; }

    /// <summary>Gets the pooling modes, concatenated in this order.</summary>
    public IReadOnlyList<EmbeddingPooling> Pooling => _pooling;

    /// <summary>Gets a value indicating whether embeddings are scaled to unit length.</summary>
    public bool Normalize => _normalize;

    /// <summary>Gets the model's prompts by name (config_sentence_transformers.json's <c>prompts</c>).</summary>
    public IReadOnlyDictionary<string, string> Prompts => _prompts;

    /// <summary>Gets the number of session runs (batches) since construction, for tests and diagnostics.</summary>
    internal long SessionRunCount => _session.RunCount;

    /// <summary>Gets a value indicating whether <see cref="Dispose"/> has begun, for tests.</summary>
    internal bool IsDisposing => _calls.IsClosed;

    /// <summary>Gets or sets a callback run on the worker thread after each batch with the batch's number, so tests can act between batches.</summary>
    internal Action<int>? AfterBatch { get; set; }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A text is <see langword="null"/> (the message names its index), or the options name an unknown prompt.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="EmbeddingGenerationOptions.Dimensions"/> is below 1 or above <see cref="Dimensions"/>.</exception>
    /// <exception cref="ObjectDisposedException">The generator has been disposed.</exception>
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        string[] texts = [.. values];
        for (int i = 0; i < texts.Length; i++)
        {
            if (texts[i] is null)
            {
                throw new ArgumentException($"The text at index {i} is null.", nameof(values));
            }
        }

        string prompt = ResolvePrompt(options);
        int dimensions = options?.Dimensions ?? Dimensions;
        if (dimensions < 1 || dimensions > Dimensions)
        {
            throw new ArgumentOutOfRangeException(nameof(options), dimensions, $"EmbeddingGenerationOptions.Dimensions must be between 1 and the model's {Dimensions} dimensions.");
        }

        CallGate.Lease lease = _calls.Enter(this);
        if (texts.Length == 0)
        {
            lease.Dispose();
            return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>() { Usage = new UsageDetails { InputTokenCount = 0, TotalTokenCount = 0 } });
        }

        // Tokenising and running the model are CPU-bound for as long as the model takes: off the caller's thread, so an
        // ASP.NET request thread or a UI thread is not held. CancellationToken.None here: the delegate must run to leave the gate.
        return Task.Run(
            () =>
            {
                using (lease)
                {
                    return Generate(texts, prompt, dimensions, cancellationToken);
                }
            },
            CancellationToken.None);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Answers <see cref="EmbeddingGeneratorMetadata"/>, the ONNX Runtime <see cref="InferenceSession"/>, the generator
    /// itself, and, for <c>typeof(string)</c> with the key <see cref="RerankServiceKeys.ScoringFingerprint"/>, a
    /// fingerprint of the model files (SHA-256 digests, computed on first request) and of every setting that changes the
    /// vectors, which <see cref="EmbeddingReranker"/> keys its document cache on.
    /// </remarks>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return serviceType == typeof(string) && RerankServiceKeys.ScoringFingerprint.Equals(serviceKey) ? _fingerprint.Value : null;
        }

        return serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
            : serviceType == typeof(InferenceSession) ? _session.Session
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <summary>
    /// Counts the tokens the model's tokenizer makes of <paramref name="text"/>, without special tokens and without truncation.
    /// </summary>
    /// <param name="text">The text to count.</param>
    /// <returns>The number of tokens.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="ObjectDisposedException">The generator has been disposed.</exception>
    public int CountTokens(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        ObjectDisposedException.ThrowIf(_calls.IsClosed, this);
        return _encoder.CountTokens(text);
    }

    /// <summary>
    /// Stops new calls, waits for the running ones to leave (each finishes the batch it is in, then fails with
    /// <see cref="ObjectDisposedException"/>), then releases the ONNX Runtime session. Calls made afterwards throw
    /// <see cref="ObjectDisposedException"/>.
    /// </summary>
    public void Dispose()
    {
        if (_calls.CloseAndWait())
        {
            _session.Dispose();
        }
    }

    /// <summary>The files (by digest, as the cross-encoder's fingerprint) and the settings that decide the vectors.</summary>
    private static string EmbeddingFingerprint(ModelFiles files, string tokenizerKind, string pooling, bool normalize, int maxLength, bool includePrompt, string? defaultPrompt) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"onnx-embedding(model={ModelFingerprint.Digest(files.ModelPath)},config={ModelFingerprint.Digest(files.ConfigPath)},tokenizer={tokenizerKind}:{ModelFingerprint.Digest(ModelFingerprint.TokenizerFile(files))},tokenizer-config={ModelFingerprint.Digest(files.TokenizerConfigPath)},pooling={pooling},normalize={normalize},max-length={maxLength},include-prompt={includePrompt},default-prompt={(defaultPrompt is null ? "none" : ModelFingerprint.DigestText(defaultPrompt))})");

    /// <summary>Dispose waits for running calls: a long call stops at its next batch rather than holding Dispose up.</summary>
    private void ThrowIfDisposing()
    {
        if (_calls.IsClosed)
        {
            throw new ObjectDisposedException(nameof(OnnxEmbeddingGenerator), "The generator was disposed while the call was running.");
        }
    }

    internal static int ChooseMaxLength(int? requested, int? maxSeqLength, int? modelMaxLength, int? usablePositions)
    {
        if (requested is int value)
        {
            if (value < SingleTextEncoder.SpecialTokens)
            {
                throw new ArgumentOutOfRangeException(nameof(requested), value, $"OnnxEmbeddingGeneratorOptions.MaxLength must be at least {SingleTextEncoder.SpecialTokens}, the special tokens of a text.");
            }

            if (usablePositions is int positions && value > positions)
            {
                throw new ArgumentOutOfRangeException(nameof(requested), value, $"OnnxEmbeddingGeneratorOptions.MaxLength {value} exceeds the model's {positions} usable position embeddings (config.json max_position_embeddings).");
            }

            return value;
        }

        // sentence-transformers: max_seq_length when the folder states it, else the tokenizer's limit within the positions.
        int chosen = maxSeqLength is int fromSt && fromSt >= SingleTextEncoder.SpecialTokens ? fromSt : Math.Min(512, modelMaxLength ?? 512);
        return usablePositions is int usable && usable >= SingleTextEncoder.SpecialTokens ? Math.Min(chosen, usable) : chosen;
    }

    private static string ValidateDirectory(string modelDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelDirectory);
        return modelDirectory;
    }

    private static void ValidateOptions(OnnxEmbeddingGeneratorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.ModelDirectory) && (string.IsNullOrWhiteSpace(options.ModelPath) || string.IsNullOrWhiteSpace(options.TokenizerPath)))
        {
            throw new ArgumentException("Set OnnxEmbeddingGeneratorOptions.ModelDirectory to a model folder, or set both ModelPath (the .onnx file) and TokenizerPath.", nameof(options));
        }

        if (options.BatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.BatchSize, "OnnxEmbeddingGeneratorOptions.BatchSize must be at least 1.");
        }

        if (options.IntraOpNumThreads < 0 || options.InterOpNumThreads < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.IntraOpNumThreads < 0 ? options.IntraOpNumThreads : options.InterOpNumThreads, "OnnxEmbeddingGeneratorOptions.IntraOpNumThreads and InterOpNumThreads must not be negative.");
        }

        if (options.Pooling is { } pooling && !Enum.IsDefined(pooling))
        {
            throw new ArgumentOutOfRangeException(nameof(options), pooling, "OnnxEmbeddingGeneratorOptions.Pooling is not an EmbeddingPooling value.");
        }

        if (!Enum.IsDefined(options.ModelVariant))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ModelVariant, "OnnxEmbeddingGeneratorOptions.ModelVariant is not an OnnxModelVariant value.");
        }
    }

    private static string DescribePrompts(IReadOnlyDictionary<string, string> prompts) =>
        prompts.Count == 0 ? "it has none" : string.Join(", ", prompts.Keys.Select(k => "'" + k + "'"));

    private string ResolvePrompt(EmbeddingGenerationOptions? options)
    {
        if (options?.AdditionalProperties is { } properties)
        {
            if (properties.TryGetValue(PromptProperty, out object? literal) && literal is not null)
            {
                return literal as string ?? throw new ArgumentException($"AdditionalProperties[\"{PromptProperty}\"] must be a string.", nameof(options));
            }

            if (properties.TryGetValue(PromptNameProperty, out object? named) && named is not null)
            {
                string name = named as string ?? throw new ArgumentException($"AdditionalProperties[\"{PromptNameProperty}\"] must be a string.", nameof(options));
                return _prompts.TryGetValue(name, out string? prompt)
                    ? prompt
                    : throw new ArgumentException($"The prompt '{name}' is not one of the model's prompts ({DescribePrompts(_prompts)}).", nameof(options));
            }
        }

        return _defaultPromptName is null ? string.Empty : _prompts[_defaultPromptName];
    }

    private GeneratedEmbeddings<Embedding<float>> Generate(string[] texts, string prompt, int dimensions, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        int count = texts.Length;

        // include_prompt = false (instructor-style models): sentence-transformers leaves the prompt's tokens, and the
        // token before them, out of pooling.
        int skip = _includePrompt || prompt.Length == 0 ? 0 : 1 + _encoder.CountTokens(prompt);
        var encodings = new PairEncoding[count];
        int truncated = 0;
        long inputTokens = 0, paddedTokens = 0;
        for (int i = 0; i < count; i++)
        {
            if ((i & 63) == 63)
            {
                cancellationToken.ThrowIfCancellationRequested();
                ThrowIfDisposing();
            }

            encodings[i] = _encoder.Encode(prompt.Length == 0 ? texts[i] : prompt + texts[i], MaxLength, out bool wasTruncated);
            inputTokens += encodings[i].Length;
            truncated += wasTruncated ? 1 : 0;
        }

        int[] order = ArrayPool<int>.Shared.Rent(count);
        int[] batchStarts = ArrayPool<int>.Shared.Rent(count + 1);
        int[] lengths = ArrayPool<int>.Shared.Rent(count);
        float[] pooled = ArrayPool<float>.Shared.Rent(Math.Min(count, _batchSize) * Dimensions);
        var vectors = new float[count][];
        int batches = 0;
        try
        {
            OnnxCrossEncoderReranker.SortByLength(encodings, order.AsSpan(0, count));
            for (int i = 0; i < count; i++)
            {
                lengths[i] = encodings[order[i]].Length;
            }

            int batchCount = BatchPlanner.Plan(lengths.AsSpan(0, count), _batchSize, _hiddenSize, batchStarts);
            using var runOptions = new RunOptions();
            using CancellationTokenRegistration registration = cancellationToken.Register(static state => ((RunOptions)state!).Terminate = true, runOptions);
            for (int b = 0; b < batchCount; b++)
            {
                cancellationToken.ThrowIfCancellationRequested();

                ThrowIfDisposing();

                ReadOnlySpan<int> batch = order.AsSpan(batchStarts[b], batchStarts[b + 1] - batchStarts[b]);
                try
                {
                    paddedTokens += _session.Run(encodings, batch, _encoder.PadTokenId, runOptions, _pooling, skip, pooled, Dimensions);
                }
                catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
                {
                    throw new OperationCanceledException("The embedding call was cancelled while the model was running.", cancellationToken);
                }

                batches++;
                for (int row = 0; row < batch.Length; row++)
                {
                    Span<float> vector = pooled.AsSpan(row * Dimensions, Dimensions);
                    if (_normalize)
                    {
                        TokenPooler.Normalize(vector);
                    }

                    vectors[batch[row]] = vector[..dimensions].ToArray();
                }

                AfterBatch?.Invoke(batches);
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(order);
            ArrayPool<int>.Shared.Return(batchStarts);
            ArrayPool<int>.Shared.Return(lengths);
            ArrayPool<float>.Shared.Return(pooled);
        }

        if (truncated > 0)
        {
            LogTruncated(_logger, truncated, count, MaxLength, ModelId);
        }

        DateTimeOffset created = DateTimeOffset.UtcNow;
        var result = new GeneratedEmbeddings<Embedding<float>>(vectors.Select(v => new Embedding<float>(v) { ModelId = ModelId, CreatedAt = created }))
        {
            Usage = new UsageDetails
            {
                InputTokenCount = inputTokens,
                TotalTokenCount = inputTokens,
                AdditionalCounts = new AdditionalPropertiesDictionary<long> { ["batches"] = batches, ["padded_tokens"] = paddedTokens },
            },
        };

        if (truncated > 0)
        {
            result.AdditionalProperties = new AdditionalPropertiesDictionary { [RerankResponseProperties.TruncatedDocuments] = truncated };
        }

        return result;
    }

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "Truncated {TruncatedCount} of {TextCount} texts to {MaxLength} tokens for {ModelId}.")]
    private static partial void LogTruncated(ILogger logger, int truncatedCount, int textCount, int maxLength, string modelId);

    [LoggerMessage(EventId = 12, Level = LogLevel.Information, Message = "Loaded embedding model {ModelId} from {ModelPath}: tokenizer {Tokenizer}, max length {MaxLength}, pooling {Pooling}, normalize {Normalize}, {Dimensions} dimensions.")]
    private static partial void LogLoaded(ILogger logger, string modelId, string modelPath, string tokenizer, int maxLength, string pooling, bool normalize, int dimensions);

    [LoggerMessage(EventId = 13, Level = LogLevel.Warning, Message = "{ModelId}: the folder {Directory} has no pooling configuration (modules.json / 1_Pooling/config.json); using mean pooling, as sentence-transformers does. Set OnnxEmbeddingGeneratorOptions.Pooling to choose another.")]
    private static partial void LogDefaultPooling(ILogger logger, string modelId, string directory);
}
