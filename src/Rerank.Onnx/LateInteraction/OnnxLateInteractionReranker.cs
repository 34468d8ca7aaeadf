using System.Globalization;
using System.Numerics.Tensors;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using Rerank.Onnx.Inference;
using Rerank.Onnx.LateInteraction;
using Rerank.Onnx.Model;
using Rerank.Onnx.Tokenization;

namespace Rerank.Onnx;

/// <summary>
/// Reranks with a late-interaction (ColBERT) model run by ONNX Runtime: query and documents are encoded into one
/// L2-normalised vector per token, and a document scores the sum over the query tokens of its best-matching token
/// (MaxSim), as colbert-ai and PyLate score.
/// </summary>
/// <remarks>
/// <para>
/// Load a checkpoint folder with an ONNX export (<c>new OnnxLateInteractionReranker("path/to/model")</c>) or use
/// <c>FromPretrainedAsync</c>. The model's own settings are read from its files (see
/// <see cref="OnnxLateInteractionOptions"/>): query and document markers, query length and augmentation with the mask
/// token, document length, attention to expansion tokens, the punctuation skiplist of the document side, and the
/// projection to the ColBERT dimension (inside the graph, PyLate's <c>1_Dense</c>, or colbert-ai's <c>linear</c>).
/// </para>
/// <para>
/// The document side is computed once per (model settings, document text) and kept in a bounded memory cache
/// (<see cref="OnnxLateInteractionOptions.DocumentCacheBytes"/>) and, when one is given, an
/// <see cref="IDistributedCache"/> in a compact float16 or float32 form, so a repeated candidate is never
/// re-encoded. At indexing time, <see cref="EncodeDocumentsAsync"/> computes the embeddings to store, and
/// <see cref="RerankAsync(string, IReadOnlyList{RerankDocument}, IReadOnlyList{LateInteractionEmbeddings}, RerankOptions?, CancellationToken)"/>
/// reranks from them with one short query encoding.
/// </para>
/// <para>
/// Scores are pointwise: a function of the model, its settings, the query and the document alone (unlike PyLate's
/// <c>rank.rerank</c>, which pads the candidates' embeddings with zeros and so lets a short document's negative
/// matches count as 0 when a longer candidate is present; here a document's padding never takes part).
/// </para>
/// <para>
/// One instance is safe to share between concurrent callers. The encoder runs on the thread pool, not on the
/// caller's thread. <see cref="Dispose"/> waits for the calls in flight to finish; later calls throw
/// <see cref="ObjectDisposedException"/>. The distributed cache is the caller's and is never disposed here.
/// </para>
/// <para>
/// Truncation is never silent: a document longer than <see cref="DocumentLength"/> is listed under
/// <see cref="RerankResponseProperties.LateInteractionTruncations"/> (and counted under
/// <see cref="RerankResponseProperties.TruncatedDocuments"/>); a query longer than <see cref="QueryLength"/> is cut
/// to it, as PyLate does, and the tokens dropped are reported under
/// <see cref="RerankResponseProperties.LateInteractionQueryTokensDropped"/>.
/// </para>
/// </remarks>
public sealed partial class OnnxLateInteractionReranker : IReranker
{
    /// <summary>The provider name reported in <see cref="RerankerMetadata"/>.</summary>
    public const string ProviderName = "onnx-late-interaction";

    private const string DistributedKeyPrefix = "rerank:late_interaction:";
    private const int MaxTruncationsLogged = 10;

    private readonly ColBertTokenizer _tokenizer;
    private readonly TokenEmbeddingSession _session;
    private readonly IReadOnlyList<DenseLayer> _projection;
    private readonly int _encoderWidth;
    private readonly int _batchSize;
    private readonly DocumentEmbeddingCache? _memoryCache;
    private readonly IDistributedCache? _distributedCache;
    private readonly LateInteractionStorageFormat _distributedFormat;
    private readonly ILogger _logger;
    private readonly RerankerMetadata _metadata;
    private readonly CallGate _gate = new();

    /// <summary>Initializes a new instance of the <see cref="OnnxLateInteractionReranker"/> class from a checkpoint folder, with default options.</summary>
    /// <param name="modelDirectory">The checkpoint folder.</param>
    /// <exception cref="ArgumentException"><paramref name="modelDirectory"/> is null or empty.</exception>
    /// <exception cref="OnnxModelNotFoundException">The folder or a file it needs does not exist (the ONNX file, the tokenizer, the projection); the message names every path looked at.</exception>
    /// <exception cref="OnnxModelLoadException">A file is corrupt or not what a late-interaction model needs.</exception>
    public OnnxLateInteractionReranker(string modelDirectory)
        : this(new OnnxLateInteractionOptions(ValidateDirectory(modelDirectory)))
    {
    }

    /// <summary>Initializes a new instance of the <see cref="OnnxLateInteractionReranker"/> class.</summary>
    /// <param name="options">The options; read once, here.</param>
    /// <param name="documentCache">
    /// An optional distributed cache for document embeddings, shared between processes and restarts; the caller's,
    /// never disposed here. Its failures are logged and treated as misses.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><see cref="OnnxLateInteractionOptions.ModelDirectory"/> is not set.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A number is out of range, or does not fit the model.</exception>
    /// <exception cref="OnnxModelNotFoundException">A file does not exist; the message names every path looked at.</exception>
    /// <exception cref="OnnxModelLoadException">A file is corrupt or not what a late-interaction model needs.</exception>
    public OnnxLateInteractionReranker(OnnxLateInteractionOptions options, IDistributedCache? documentCache = null)
    {
        ValidateOptions(options);
        _logger = options.Logger ?? NullLogger.Instance;
        _batchSize = options.BatchSize;
        _distributedCache = documentCache;
        _distributedFormat = options.DistributedCacheFormat;
        _memoryCache = options.DocumentCacheBytes > 0 ? new DocumentEmbeddingCache(options.DocumentCacheBytes) : null;

        string directory = Path.GetFullPath(options.ModelDirectory!);
        string modelPath = FindModel(directory, options);
        ModelFiles files = ModelFiles.Resolve(new OnnxCrossEncoderOptions { ModelDirectory = directory, ModelPath = modelPath });
        ModelConfig config = files.ConfigPath is { } configPath ? ModelConfig.Load(configPath) : ModelConfig.Empty;
        ColBertSettings settings = ColBertSettings.Load(directory, options);
        ValidateLengths(settings, config);
        IPairTokenizer pairTokenizer = TokenizerSource.Load(files);
        TokenVocabulary vocabulary = TokenVocabulary.Load(directory);
        _tokenizer = CreateTokenizer(pairTokenizer, vocabulary, settings, files.TokenizerConfigPath);

        _session = TokenEmbeddingSession.Open(modelPath, options);
        try
        {
            (_projection, bool inGraph) = ChooseProjection(settings, config, directory, options.ProjectionInGraph);
            _encoderWidth = _projection.Count > 0 ? _projection[0].InFeatures : _session.OutputDimension ?? 0;
            Dimension = _projection.Count > 0 ? _projection[^1].OutFeatures : _session.OutputDimension ?? 0;
            ModelId = options.ModelId ?? OnnxCrossEncoderReranker.DeriveModelId(directory);
            ModelPath = modelPath;
            string projectionSource = inGraph ? "graph" : string.Join("+", _projection.Select(p => Path.GetRelativePath(directory, p.Source).Replace('\\', '/')));
            // Digests of the files, as the cross-encoder's fingerprint: a model replaced in place (a new fine-tune of the
            // same size) must not reuse document embeddings cached for the old one, and a copy elsewhere may.
            string projectionDigest = inGraph ? "graph" : string.Join("+", _projection.Select(p => ModelFingerprint.Digest(p.Source)).Distinct(StringComparer.Ordinal));
            ScoringFingerprint = string.Create(CultureInfo.InvariantCulture,
                $"late-interaction;onnx={ModelFingerprint.Digest(modelPath)};config={ModelFingerprint.Digest(files.ConfigPath)};tokenizer={ModelFingerprint.Digest(ModelFingerprint.TokenizerFile(files))};"
                + $"projection={projectionSource}:{Dimension};projection_digest={projectionDigest};"
                + $"query_length={QueryLength};document_length={DocumentLength};query_prefix={_tokenizer.QueryPrefixId?.ToString(CultureInfo.InvariantCulture) ?? "none"};"
                + $"document_prefix={_tokenizer.DocumentPrefixId?.ToString(CultureInfo.InvariantCulture) ?? "none"};mask={_tokenizer.MaskId};expansion={settings.DoQueryExpansion};"
                + $"attend_expansion={settings.AttendToExpansionTokens};skiplist={string.Join(",", _tokenizer.Skiplist)};maxsim=sum-max-dot;normalize=l2");
            _metadata = new RerankerMetadata(ProviderName, new Uri(modelPath), ModelId)
            {
                ScoreSemantics = RerankScoreSemantics.Pointwise,
                ScoringFingerprint = ScoringFingerprint,
            };
            LogLoaded(_logger, ModelId, modelPath, QueryLength, DocumentLength, Dimension, projectionSource, _tokenizer.Skiplist.Count);
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

    /// <summary>Gets the ColBERT dimension: the length of every token vector.</summary>
    public int Dimension { get; }

    /// <summary>Gets the number of query positions, special tokens, marker and expansion included.</summary>
    public int QueryLength => _tokenizer.QueryLength;

    /// <summary>Gets the most positions of a document, special tokens and marker included.</summary>
    public int DocumentLength => _tokenizer.DocumentLength;

    /// <summary>Gets every setting that changes the scores, as in <see cref="RerankerMetadata.ScoringFingerprint"/>; it also keys the document cache.</summary>
    public string ScoringFingerprint { get; }

    /// <summary>Gets the number of encoder runs since construction, for tests and diagnostics.</summary>
    internal long SessionRunCount => _session.RunCount;

    /// <summary>Gets the tokenizer, for tests.</summary>
    internal ColBertTokenizer Tokenizer => _tokenizer;

    /// <summary>Gets a value indicating whether <see cref="Dispose"/> has begun, for tests.</summary>
    internal bool IsDisposing => _gate.IsClosed;

    /// <summary>Gets the memory cache, for tests and benchmarks.</summary>
    internal DocumentEmbeddingCache? MemoryCache => _memoryCache;

    /// <summary>Gets or sets a hook awaited by each call once it holds its documents' embeddings, before scoring; tests use it to hold a call in flight.</summary>
    internal Func<CancellationToken, Task>? BeforeScoring { get; set; }

    /// <inheritdoc />
    public Task<RerankResponse> RerankAsync(string query, IEnumerable<RerankDocument> documents, RerankOptions? options = null, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<RerankDocument> list = RerankContract.ValidateArguments(query, documents, options);
        ObjectDisposedException.ThrowIf(_gate.IsClosed, this);
        if (list.Count == 0)
        {
            return Task.FromResult(new RerankResponse([]) { ModelId = ModelId, Usage = new RerankUsage { InputTokenCount = 0 } });
        }

        cancellationToken.ThrowIfCancellationRequested();
        return RerankCoreAsync(query, list, null, options, cancellationToken);
    }

    /// <summary>
    /// Reranks documents whose embeddings were computed beforehand (<see cref="EncodeDocumentsAsync"/>, stored with
    /// <see cref="LateInteractionEmbeddings.ToBytes"/>): only the query is encoded.
    /// </summary>
    /// <param name="query">The query.</param>
    /// <param name="documents">The documents, returned in the results; their texts are not encoded.</param>
    /// <param name="embeddings">The embeddings of each document, in the same order, from this model with the same settings.</param>
    /// <param name="options">Top-n and threshold; <see cref="RerankOptions.MaxTokensPerDocument"/> does not apply to stored embeddings.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The ranked documents.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The counts differ, or an embedding is null or of another dimension.</exception>
    /// <exception cref="ObjectDisposedException">The reranker has been disposed.</exception>
    public Task<RerankResponse> RerankAsync(string query, IReadOnlyList<RerankDocument> documents, IReadOnlyList<LateInteractionEmbeddings> embeddings, RerankOptions? options = null, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<RerankDocument> list = RerankContract.ValidateArguments(query, documents, options);
        ArgumentNullException.ThrowIfNull(embeddings);
        if (embeddings.Count != list.Count)
        {
            throw new ArgumentException($"Got {list.Count} documents and {embeddings.Count} embeddings; give one embeddings object per document, in the same order.", nameof(embeddings));
        }

        for (int i = 0; i < embeddings.Count; i++)
        {
            if (embeddings[i] is not { } e)
            {
                throw new ArgumentException($"The embeddings at index {i} are null.", nameof(embeddings));
            }

            if (e.Dimension != Dimension)
            {
                throw new ArgumentException($"The embeddings at index {i} have dimension {e.Dimension}; this model's is {Dimension}. They were computed by another model.", nameof(embeddings));
            }
        }

        ObjectDisposedException.ThrowIf(_gate.IsClosed, this);
        if (list.Count == 0)
        {
            return Task.FromResult(new RerankResponse([]) { ModelId = ModelId, Usage = new RerankUsage { InputTokenCount = 0 } });
        }

        cancellationToken.ThrowIfCancellationRequested();
        return RerankCoreAsync(query, list, embeddings, options, cancellationToken);
    }

    /// <summary>Encodes documents for storage at indexing time, without the caches.</summary>
    /// <param name="documents">The document texts.</param>
    /// <param name="cancellationToken">Cancels the call (between batches, and a batch that is running).</param>
    /// <returns>The embeddings of each document, in order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="documents"/> or one of its texts is <see langword="null"/>.</exception>
    /// <exception cref="ObjectDisposedException">The reranker has been disposed.</exception>
    public async Task<IReadOnlyList<LateInteractionEmbeddings>> EncodeDocumentsAsync(IEnumerable<string> documents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        string[] texts = [.. documents];
        for (int i = 0; i < texts.Length; i++)
        {
            if (texts[i] is null)
            {
                throw new ArgumentNullException(nameof(documents), $"The document at index {i} is null.");
            }
        }

        using CallGate.Lease lease = _gate.Enter(this);
        cancellationToken.ThrowIfCancellationRequested();
        if (texts.Length == 0)
        {
            return [];
        }

        EncodeResult result = await Task.Run(() => Encode(texts, isQuery: false, cancellationToken), cancellationToken).ConfigureAwait(false);
        return result.Embeddings;
    }

    /// <summary>Encodes a query as the reranker does before scoring: every position of the query length.</summary>
    /// <param name="query">The query.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The query's embeddings.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is <see langword="null"/>.</exception>
    /// <exception cref="ObjectDisposedException">The reranker has been disposed.</exception>
    public async Task<LateInteractionEmbeddings> EncodeQueryAsync(string query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        using CallGate.Lease lease = _gate.Enter(this);
        cancellationToken.ThrowIfCancellationRequested();
        EncodeResult result = await Task.Run(() => Encode([query], isQuery: true, cancellationToken), cancellationToken).ConfigureAwait(false);
        return result.Embeddings[0];
    }

    /// <summary>Scores query embeddings against document embeddings with MaxSim (the sum over query tokens of the best dot product).</summary>
    /// <param name="query">The query's embeddings.</param>
    /// <param name="document">The document's embeddings.</param>
    /// <returns>The score; 0 for a document without tokens.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The dimensions differ.</exception>
    public static double Score(LateInteractionEmbeddings query, LateInteractionEmbeddings document)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(document);
        if (query.Dimension != document.Dimension)
        {
            throw new ArgumentException($"The query has dimension {query.Dimension} and the document {document.Dimension}.", nameof(document));
        }

        return MaxSim.Score(query.Values.Span, document.Values.Span, query.Dimension);
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
    /// Waits for the calls in flight to finish, then releases the ONNX Runtime session. Calls made afterwards throw
    /// <see cref="ObjectDisposedException"/>. The distributed cache given to the constructor is not disposed.
    /// </summary>
    public void Dispose()
    {
        if (_gate.CloseAndWait())
        {
            _session.Dispose();
        }
    }

    private static string ValidateDirectory(string modelDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelDirectory);
        return modelDirectory;
    }

    private static void ValidateOptions(OnnxLateInteractionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.ModelDirectory))
        {
            throw new ArgumentException("Set OnnxLateInteractionOptions.ModelDirectory to the ColBERT checkpoint folder.", nameof(options));
        }

        if (options.BatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.BatchSize, "OnnxLateInteractionOptions.BatchSize must be at least 1.");
        }

        if (options.DocumentCacheBytes < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.DocumentCacheBytes, "OnnxLateInteractionOptions.DocumentCacheBytes must not be negative (0 turns the memory cache off).");
        }

        if (options.IntraOpNumThreads < 0 || options.InterOpNumThreads < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "OnnxLateInteractionOptions.IntraOpNumThreads and InterOpNumThreads must not be negative.");
        }

        if (!Enum.IsDefined(options.ModelVariant))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ModelVariant, "OnnxLateInteractionOptions.ModelVariant is not an OnnxModelVariant value.");
        }

        if (!Enum.IsDefined(options.DistributedCacheFormat))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.DistributedCacheFormat, "OnnxLateInteractionOptions.DistributedCacheFormat is not a LateInteractionStorageFormat value.");
        }

        if (options.SkiplistWords is { } words && words.Any(w => w is null))
        {
            throw new ArgumentException("OnnxLateInteractionOptions.SkiplistWords must not contain null.", nameof(options));
        }
    }

    private static void ValidateLengths(ColBertSettings settings, ModelConfig config)
    {
        // [CLS], the marker, one token of text and [SEP].
        const int Minimum = 4;
        foreach ((string name, int value) in new[] { ("QueryLength", settings.QueryLength), ("DocumentLength", settings.DocumentLength) })
        {
            if (value < Minimum)
            {
                throw new ArgumentOutOfRangeException("options", value, $"The {name} {value} is too small: it must be at least {Minimum} (the special tokens, the marker and one token of text).");
            }

            if (config.UsablePositions is int positions && value > positions)
            {
                throw new ArgumentOutOfRangeException("options", value, $"The {name} {value} exceeds the model's {positions} position embeddings (config.json max_position_embeddings).");
            }
        }
    }

    private static string FindModel(string directory, OnnxLateInteractionOptions options)
    {
        if (options.ModelPath is { } path)
        {
            string full = Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(directory, path));
            return File.Exists(full) ? full : throw new OnnxModelNotFoundException("ONNX model", [full], "Check OnnxLateInteractionOptions.ModelPath.");
        }

        IReadOnlyList<string> candidates = ModelFiles.Candidates(directory, options.ModelVariant);
        return candidates.FirstOrDefault(File.Exists) ?? throw new OnnxModelNotFoundException("ONNX model", candidates,
            Directory.Exists(directory)
                ? $"The folder '{directory}' has no ONNX export of the encoder. Export one (optimum-cli export onnx --task feature-extraction), choose another OnnxLateInteractionOptions.ModelVariant, or name the file with OnnxLateInteractionOptions.ModelPath."
                : $"The model folder '{directory}' does not exist.");
    }

    private static ColBertTokenizer CreateTokenizer(IPairTokenizer tokenizer, TokenVocabulary vocabulary, ColBertSettings settings, string? tokenizerConfigPath)
    {
        TokenizerConfig tokenizerConfig = TokenizerConfig.Read(tokenizerConfigPath);
        int? Lookup(string token, string what, string option)
        {
            if (token.Length == 0)
            {
                return null;
            }

            return vocabulary.TryGetId(token, out int id) ? id : throw new OnnxModelLoadException(
                $"The {what} '{token}' is not a token of '{vocabulary.Source}'. PyLate adds its markers to the tokenizer when it saves a model; set OnnxLateInteractionOptions.{option} to a token the vocabulary has (colbert-ai uses [unused0] and [unused1]).",
                vocabulary.Source);
        }

        int? queryPrefix = Lookup(settings.QueryPrefix, "query prefix", nameof(OnnxLateInteractionOptions.QueryPrefix));
        int? documentPrefix = Lookup(settings.DocumentPrefix, "document prefix", nameof(OnnxLateInteractionOptions.DocumentPrefix));

        // PyLate pads with the mask token (MLM encoders), else the end-of-sequence token, else the padding token.
        string[] maskCandidates = [tokenizerConfig.Token("mask_token") ?? "[MASK]", "[MASK]", "<mask>", tokenizerConfig.Token("eos_token") ?? "</s>"];
        int maskId = maskCandidates.Select(t => vocabulary.TryGetId(t, out int id) ? id : (int?)null).FirstOrDefault(id => id is not null) ?? tokenizer.PadTokenId;

        // convert_tokens_to_ids: a word the vocabulary lacks becomes the unknown token's id.
        string unknown = tokenizerConfig.Token("unk_token") ?? "[UNK]";
        int? unknownId = vocabulary.TryGetId(unknown, out int u) ? u : vocabulary.TryGetId("<unk>", out int u2) ? u2 : null;
        var skiplist = new List<int>();
        foreach (string word in settings.SkiplistWords)
        {
            if (vocabulary.TryGetId(word, out int id))
            {
                skiplist.Add(id);
            }
            else if (unknownId is int unk)
            {
                skiplist.Add(unk);
            }
        }

        return new ColBertTokenizer(tokenizer, queryPrefix, documentPrefix, maskId, skiplist, settings);
    }

    private (IReadOnlyList<DenseLayer> Layers, bool InGraph) ChooseProjection(ColBertSettings settings, ModelConfig config, string directory, bool? projectionInGraph)
    {
        int? graph = _session.OutputDimension;
        if (projectionInGraph == true)
        {
            return graph is null
                ? throw new OnnxModelLoadException($"'{_session.ModelPath}' does not state how many values per token it outputs, so the ColBERT dimension is unknown; export it with a fixed last dimension.", _session.ModelPath)
                : ([], true);
        }

        IReadOnlyList<DenseLayer> layers = settings.Projection.Count > 0 ? settings.Projection
            : settings.Stanford ? [DenseLayer.LoadStanford(Path.Combine(directory, "model.safetensors"))]
            : [];
        if (layers.Count > 0)
        {
            if (graph is int width && width != layers[0].InFeatures)
            {
                if (width == layers[^1].OutFeatures && projectionInGraph is null)
                {
                    // The export ends in the projection already (its output is as wide as the projection's).
                    return ([], true);
                }

                throw new OnnxModelLoadException(
                    $"'{_session.ModelPath}' outputs {width} values per token, but the projection '{layers[0].Source}' takes {layers[0].InFeatures}: the ONNX file and the projection belong to different models.",
                    _session.ModelPath);
            }

            return (layers, false);
        }

        if (projectionInGraph is null && graph is int output && config.HiddenSize is int hidden && output != hidden)
        {
            // Narrower (or wider) than the encoder: the graph holds the projection.
            return ([], true);
        }

        throw new OnnxModelNotFoundException("ColBERT projection",
            [Path.Combine(directory, "modules.json"), Path.Combine(directory, "1_Dense", "model.safetensors")],
            $"'{_session.ModelPath}' outputs the encoder's hidden states ({(graph?.ToString(CultureInfo.InvariantCulture) ?? "an unknown number of")} values per token) and the folder has no projection to the ColBERT dimension: copy the checkpoint's modules.json and 1_Dense folder (PyLate) or its model.safetensors with linear.weight (colbert-ai), or set OnnxLateInteractionOptions.ProjectionInGraph if the graph already projects.");
    }

    private async Task<RerankResponse> RerankCoreAsync(string query, IReadOnlyList<RerankDocument> documents, IReadOnlyList<LateInteractionEmbeddings>? stored, RerankOptions? options, CancellationToken cancellationToken)
    {
        using CallGate.Lease lease = _gate.Enter(this);
        int count = documents.Count;
        var embeddings = new LateInteractionEmbeddings[count];
        var truncations = new LateInteractionTruncation?[count];
        var stats = new CallStats();
        Task<EncodeResult> queryTask = Task.Run(() => Encode([query], isQuery: true, cancellationToken), cancellationToken);
        if (stored is not null)
        {
            for (int i = 0; i < count; i++)
            {
                embeddings[i] = stored[i];
            }
        }
        else
        {
            try
            {
                await GetDocumentEmbeddingsAsync(documents, options?.MaxTokensPerDocument, embeddings, truncations, stats, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                // The query may still be running on the session: the call must not leave (and let Dispose free the
                // session) before it ends. WhenAny waits without rethrowing the query's own failure.
                await Task.WhenAny(queryTask).ConfigureAwait(false);
                throw;
            }
        }

        EncodeResult queryResult = await queryTask.ConfigureAwait(false);
        stats.Tokens += queryResult.Tokens;
        stats.Batches += queryResult.Batches;
        if (BeforeScoring is { } hook)
        {
            await hook(cancellationToken).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        LateInteractionEmbeddings queryEmbeddings = queryResult.Embeddings[0];
        var scores = new double[count];
        for (int i = 0; i < count; i++)
        {
            scores[i] = MaxSim.Score(queryEmbeddings.Values.Span, embeddings[i].Values.Span, Dimension);
        }

        List<LateInteractionTruncation> truncated = [.. truncations.OfType<LateInteractionTruncation>()];
        if (truncated.Count > 0)
        {
            LogTruncations(count, truncated);
        }

        var response = new RerankResponse(RerankContract.Rank(documents, scores, options))
        {
            ModelId = ModelId,
            Usage = new RerankUsage
            {
                InputTokenCount = stats.Tokens,
                TotalTokenCount = stats.Tokens,
                AdditionalCounts = new Dictionary<string, long>(StringComparer.Ordinal)
                {
                    ["batches"] = stats.Batches,
                    ["encoded_documents"] = stats.Encoded,
                    ["memory_cache_hits"] = stats.MemoryHits,
                    ["distributed_cache_hits"] = stats.DistributedHits,
                },
            },
        };

        int? queryDropped = queryResult.Truncations[0] is { } q ? q.TokensDropped ?? -1 : null;
        if (truncated.Count > 0 || queryDropped is not null)
        {
            response.AdditionalProperties = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (truncated.Count > 0)
            {
                response.AdditionalProperties[RerankResponseProperties.LateInteractionTruncations] = truncated.AsReadOnly();
                response.AdditionalProperties[RerankResponseProperties.TruncatedDocuments] = truncated.Count;
            }

            if (queryDropped is int dropped)
            {
                response.AdditionalProperties[RerankResponseProperties.LateInteractionQueryTokensDropped] = dropped;
            }
        }

        return response;
    }

    private async Task GetDocumentEmbeddingsAsync(IReadOnlyList<RerankDocument> documents, int? maxTokens, LateInteractionEmbeddings[] embeddings, LateInteractionTruncation?[] truncations, CallStats stats, CancellationToken cancellationToken)
    {
        int count = documents.Count;

        // MaxTokensPerDocument caps the document's own tokens: [CLS], the marker and [SEP] come on top.
        int documentLength = maxTokens is int cap ? (int)Math.Min(DocumentLength, (long)cap + DocumentLength - _tokenizer.DocumentRoom) : DocumentLength;
        bool cached = _memoryCache is not null || _distributedCache is not null;
        string?[] keys = new string?[count];

        // Distinct texts still to find: the first index of each, and every index that shares it.
        var pending = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            string key = cached ? CacheKey(documents[i].Text, documentLength) : i.ToString(CultureInfo.InvariantCulture);
            keys[i] = key;
            if (_memoryCache is not null && _memoryCache.TryGet(key, out LateInteractionEmbeddings hit, out LateInteractionTruncation? truncation))
            {
                embeddings[i] = hit;
                truncations[i] = truncation is null ? null : truncation with { Index = i };
                stats.MemoryHits++;
                continue;
            }

            if (!pending.TryGetValue(key, out List<int>? indices))
            {
                pending[key] = indices = [];
            }

            indices.Add(i);
        }

        if (pending.Count > 0 && _distributedCache is not null)
        {
            KeyValuePair<string, List<int>>[] lookups = [.. pending];
            byte[]?[] found = await Task.WhenAll(lookups.Select(p => GetDistributedAsync(p.Key, cancellationToken))).ConfigureAwait(false);
            for (int l = 0; l < lookups.Length; l++)
            {
                if (found[l] is not { } bytes || TryRead(bytes) is not { } value || value.Dimension != Dimension)
                {
                    continue;
                }

                foreach (int i in lookups[l].Value)
                {
                    embeddings[i] = value;
                }

                stats.DistributedHits += lookups[l].Value.Count;
                _memoryCache?.Set(lookups[l].Key, value, null);
                pending.Remove(lookups[l].Key);
            }
        }

        if (pending.Count == 0)
        {
            return;
        }

        KeyValuePair<string, List<int>>[] misses = [.. pending];
        string[] texts = [.. misses.Select(m => documents[m.Value[0]].Text)];
        EncodeResult result = await Task.Run(() => Encode(texts, isQuery: false, cancellationToken, documentLength), cancellationToken).ConfigureAwait(false);
        stats.Tokens += result.Tokens;
        stats.Batches += result.Batches;
        stats.Encoded += texts.Length;
        var writes = new List<Task>();
        for (int m = 0; m < misses.Length; m++)
        {
            LateInteractionEmbeddings value = result.Embeddings[m];
            LateInteractionTruncation? truncation = result.Truncations[m];
            foreach (int i in misses[m].Value)
            {
                embeddings[i] = value;
                truncations[i] = truncation is null ? null : truncation with { Index = i };
            }

            _memoryCache?.Set(misses[m].Key, value, truncation);
            if (_distributedCache is not null)
            {
                writes.Add(SetDistributedAsync(misses[m].Key, value, cancellationToken));
            }
        }

        await Task.WhenAll(writes).ConfigureAwait(false);
    }

    private string CacheKey(string text, int documentLength)
    {
        // The fingerprint names every setting that changes a document's embeddings; the text is hashed, never stored in a key.
        string prefix = documentLength == DocumentLength ? ScoringFingerprint : ScoringFingerprint + ";cap=" + documentLength.ToString(CultureInfo.InvariantCulture);
        int length = Encoding.UTF8.GetMaxByteCount(prefix.Length + 1 + text.Length);
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(length);
        try
        {
            int written = Encoding.UTF8.GetBytes(prefix, buffer);
            buffer[written++] = 0;
            written += Encoding.UTF8.GetBytes(text, buffer.AsSpan(written));
            return Convert.ToHexString(SHA256.HashData(buffer.AsSpan(0, written)));
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task<byte[]?> GetDistributedAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return await _distributedCache!.GetAsync(DistributedKeyPrefix + key, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogCacheFailure(_logger, "read", ex);
            return null;
        }
    }

    private async Task SetDistributedAsync(string key, LateInteractionEmbeddings value, CancellationToken cancellationToken)
    {
        try
        {
            await _distributedCache!.SetAsync(DistributedKeyPrefix + key, value.ToBytes(_distributedFormat), new DistributedCacheEntryOptions(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogCacheFailure(_logger, "write", ex);
        }
    }

    private LateInteractionEmbeddings? TryRead(byte[] bytes)
    {
        try
        {
            return LateInteractionEmbeddings.FromBytes(bytes);
        }
        catch (FormatException ex)
        {
            LogCacheFailure(_logger, "decode", ex);
            return null;
        }
    }

    /// <summary>Tokenises, runs and post-processes texts (queries or documents), longest first in batches.</summary>
    internal EncodeResult Encode(string[] texts, bool isQuery, CancellationToken cancellationToken, int? documentLength = null)
    {
        var encodings = new ColBertEncoding[texts.Length];
        var truncations = new LateInteractionTruncation?[texts.Length];
        long tokens = 0;
        for (int i = 0; i < texts.Length; i++)
        {
            if ((i & 31) == 31)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            ColBertEncoding encoding = isQuery ? _tokenizer.EncodeQuery(texts[i]) : _tokenizer.EncodeDocument(texts[i], documentLength ?? DocumentLength);
            encodings[i] = encoding;
            tokens += encoding.Length;
            if (encoding.TokensDropped is not 0)
            {
                truncations[i] = new LateInteractionTruncation(i, encoding.TokensKept, encoding.TokensDropped);
            }
        }

        int[] order = [.. Enumerable.Range(0, texts.Length).OrderByDescending(i => encodings[i].Length)];
        var results = new LateInteractionEmbeddings[texts.Length];
        int batches = 0;
        using var runOptions = new RunOptions();
        using CancellationTokenRegistration registration = cancellationToken.Register(static state => ((RunOptions)state!).Terminate = true, runOptions);
        for (int start = 0; start < order.Length; start += _batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ReadOnlySpan<int> batch = order.AsSpan(start, Math.Min(_batchSize, order.Length - start));
            try
            {
                _session.Run(encodings, batch, _tokenizer.MaskId, runOptions, (index, rows, width) => results[index] = PostProcess(encodings[index], rows, width));
            }
            catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException("The call was cancelled while the encoder was running.", cancellationToken);
            }

            batches++;
        }

        return new EncodeResult(results, truncations, tokens, batches);
    }

    private LateInteractionEmbeddings PostProcess(ColBertEncoding encoding, ReadOnlySpan<float> rows, int width)
    {
        int expected = _projection.Count > 0 ? _encoderWidth : Dimension;
        if (width != expected)
        {
            throw new InvalidOperationException($"'{ModelPath}' returned {width} values per token; expected {expected}.");
        }

        int dimension = Dimension;
        var values = new float[encoding.KeptCount * dimension];
        Span<float> scratch = _projection.Count > 1 ? new float[_projection.Max(p => p.OutFeatures) * 2] : [];
        int row = 0;
        for (int t = 0; t < encoding.Length; t++)
        {
            if (!encoding.Keep[t])
            {
                continue;
            }

            ReadOnlySpan<float> input = rows.Slice(t * width, width);
            Span<float> output = values.AsSpan(row * dimension, dimension);
            Project(input, output, scratch);

            // torch.nn.functional.normalize: x / max(‖x‖, 1e-12).
            float norm = MathF.Max(TensorPrimitives.Norm(output), 1e-12f);
            TensorPrimitives.Divide(output, norm, output);
            row++;
        }

        return LateInteractionEmbeddings.Wrap(values, encoding.KeptCount, dimension);
    }

    private void Project(ReadOnlySpan<float> input, Span<float> output, Span<float> scratch)
    {
        if (_projection.Count == 0)
        {
            input.CopyTo(output);
            return;
        }

        ReadOnlySpan<float> current = input;
        for (int l = 0; l < _projection.Count; l++)
        {
            DenseLayer layer = _projection[l];
            Span<float> target = l == _projection.Count - 1 ? output : scratch.Slice((l & 1) * (scratch.Length / 2), layer.OutFeatures);
            layer.Apply(current, target);
            current = target;
        }
    }

    private void LogTruncations(int count, List<LateInteractionTruncation> truncations)
    {
        if (!_logger.IsEnabled(LogLevel.Warning))
        {
            return;
        }

        string details = string.Join("; ", truncations.Take(MaxTruncationsLogged).Select(t => t.TokensDropped is int d ? $"#{t.Index}: {d} tokens" : $"#{t.Index}: too long to count"));
        if (truncations.Count > MaxTruncationsLogged)
        {
            details += $"; and {truncations.Count - MaxTruncationsLogged} more";
        }

        LogTruncated(_logger, truncations.Count, count, DocumentLength, ModelId, details);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Truncated {TruncatedCount} of {DocumentCount} documents to the document length {DocumentLength} of {ModelId} (tokens dropped: {Details}).")]
    private static partial void LogTruncated(ILogger logger, int truncatedCount, int documentCount, int documentLength, string modelId, string details);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Loaded late-interaction model {ModelId} from {ModelPath}: query length {QueryLength}, document length {DocumentLength}, dimension {Dimension}, projection {Projection}, {SkiplistCount} skiplist tokens.")]
    private static partial void LogLoaded(ILogger logger, string modelId, string modelPath, int queryLength, int documentLength, int dimension, string projection, int skiplistCount);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "The distributed cache of document embeddings failed to {Operation}; the documents are encoded instead.")]
    private static partial void LogCacheFailure(ILogger logger, string operation, Exception exception);

    /// <summary>The embeddings of one encoding call.</summary>
    internal sealed record EncodeResult(LateInteractionEmbeddings[] Embeddings, LateInteractionTruncation?[] Truncations, long Tokens, int Batches);

    private sealed class CallStats
    {
        public long Tokens { get; set; }

        public int Batches { get; set; }

        public int Encoded { get; set; }

        public int MemoryHits { get; set; }

        public int DistributedHits { get; set; }
    }
}
