using Microsoft.Extensions.AI;

namespace Rerank;

/// <summary>An <see cref="IReranker"/> that asks an <see cref="IChatClient"/> to judge relevance, pointwise or listwise.</summary>
/// <remarks>
/// Identical document texts are sent once and share a score. The chat client is not disposed with the reranker: the
/// caller (or the DI container) owns it.
/// </remarks>
internal sealed class ChatClientReranker : IReranker
{
    private readonly IChatClient _chatClient;
    private readonly LlmRerankerOptions _options;
    private RerankerMetadata? _metadata;
    private int _disposed;

    public ChatClientReranker(IChatClient chatClient, LlmRerankerOptions options)
    {
        _chatClient = chatClient;
        _options = options;
    }

    public async Task<RerankResponse> RerankAsync(
        string query,
        IEnumerable<RerankDocument> documents,
        RerankOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        IReadOnlyList<RerankDocument> list = RerankContract.ValidateArguments(query, documents, options);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        string? requestedModel = options?.ModelId ?? _options.ModelId ?? _options.ChatOptions?.ModelId;
        if (list.Count == 0)
        {
            return new RerankResponse([]) { ModelId = requestedModel ?? Metadata.DefaultModelId };
        }

        cancellationToken.ThrowIfCancellationRequested();

        // Tokens are unknown without the model's tokenizer; four characters per token is the usual estimate for English.
        int maxCharacters = options?.MaxTokensPerDocument is int maxTokens
            ? (int)Math.Min(_options.MaxCharactersPerDocument, maxTokens * 4L)
            : _options.MaxCharactersPerDocument;
        List<LlmCandidate> candidates = LlmPrompt.CreateCandidates(list, maxCharacters, out int truncated);
        int planned = _options.PlannedChatCalls(candidates.Count);
        if (planned > _options.MaxChatCalls)
        {
            string unit = _options.Mode == LlmRerankMode.Pointwise
                ? $"BatchSize {_options.BatchSize}"
                : $"WindowSize {_options.WindowSize} and StepSize {_options.StepSize}";
            throw new ArgumentException(
                $"Reranking {candidates.Count} distinct documents {_options.Mode} with {unit} needs {planned} chat calls, more than " +
                $"LlmRerankerOptions.MaxChatCalls ({_options.MaxChatCalls}). Pass fewer candidates (the first stage's top results), " +
                "raise BatchSize or StepSize, or raise MaxChatCalls if the cost is intended.",
                nameof(documents));
        }


        ChatOptions chatOptions = _options.ChatOptions?.Clone() ?? new ChatOptions();
        chatOptions.Temperature ??= _options.Temperature;
        chatOptions.ModelId = requestedModel;
        chatOptions.ResponseFormat ??= _options.Mode == LlmRerankMode.Pointwise ? LlmResponseFormats.Scores : LlmResponseFormats.Ranking;

        var call = new LlmRerankCall(_chatClient, _options, query, candidates, chatOptions);
        double[] candidateScores;
        if (_options.Mode == LlmRerankMode.Pointwise)
        {
            candidateScores = await PointwiseLlmRanker.ScoreAsync(call, cancellationToken).ConfigureAwait(false);
            if (_options.NormalizeScores)
            {
                double range = _options.MaxScore - _options.MinScore;
                for (int i = 0; i < candidateScores.Length; i++)
                {
                    candidateScores[i] = (candidateScores[i] - _options.MinScore) / range;
                }
            }
        }
        else
        {
            candidateScores = await ListwiseLlmRanker.RankAsync(call, cancellationToken).ConfigureAwait(false);
        }

        var scores = new double[list.Count];
        for (int c = 0; c < candidates.Count; c++)
        {
            foreach (int index in candidates[c].Indices)
            {
                scores[index] = candidateScores[c];
            }
        }

        IReadOnlyList<ChatResponse> responses = call.Responses;
        return new RerankResponse(RerankContract.Rank(list, scores, options))
        {
            ModelId = responses.Select(r => r.ModelId).FirstOrDefault(m => m is not null) ?? requestedModel ?? Metadata.DefaultModelId,
            ResponseId = responses.Count == 1 ? responses[0].ResponseId : null,
            Usage = LlmRerankCall.SumUsage(responses),
            RawRepresentation = responses,
            AdditionalProperties = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                [RerankResponseProperties.LlmMode] = _options.Mode,
                [RerankResponseProperties.LlmChatCalls] = responses.Count,
                [RerankResponseProperties.LlmRepairs] = call.Repairs,
                [RerankResponseProperties.TruncatedDocuments] = truncated,
                [RerankResponseProperties.LlmDistinctDocuments] = candidates.Count,
            },
        };
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is null)
        {
            if (serviceType == typeof(RerankerMetadata))
            {
                return Metadata;
            }

            if (serviceType.IsInstanceOfType(this))
            {
                return this;
            }
        }

        // The chat client and whatever its pipeline offers (ChatClientMetadata, the provider's SDK client) are reachable too.
        return _chatClient.GetService(serviceType, serviceKey);
    }

    public void Dispose() => Interlocked.Exchange(ref _disposed, 1);

    private RerankerMetadata Metadata => _metadata ??= CreateMetadata();

    private RerankerMetadata CreateMetadata()
    {
        var chat = _chatClient.GetService(typeof(ChatClientMetadata)) as ChatClientMetadata;
        string? model = _options.ModelId ?? _options.ChatOptions?.ModelId ?? chat?.DefaultModelId;
        bool pointwise = _options.Mode == LlmRerankMode.Pointwise;

        // Listwise scores come from a rank among the candidates; pointwise ones from the model's judgement of each pair.
        return new RerankerMetadata("llm", chat?.ProviderUri, model)
        {
            ScoreSemantics = pointwise ? RerankScoreSemantics.Pointwise : RerankScoreSemantics.CandidateSetDependent,
            ScoringFingerprint = Fingerprint(chat, model, pointwise),
        };
    }

    private string Fingerprint(ChatClientMetadata? chat, string? model, bool pointwise)
    {
        // Every setting that reaches the prompt or maps the answer to a score; prompts as digests (long, maybe private).
        string mode = pointwise
            ? $"pointwise(system={Fingerprints.Digest(_options.PointwiseSystemPrompt)},template={Fingerprints.Digest(_options.PointwisePromptTemplate)},scale={Fingerprints.Number(_options.MinScore)}..{Fingerprints.Number(_options.MaxScore)},normalized={_options.NormalizeScores},batch={_options.BatchSize})"
            : $"listwise(system={Fingerprints.Digest(_options.ListwiseSystemPrompt)},template={Fingerprints.Digest(_options.ListwisePromptTemplate)},window={_options.WindowSize},step={_options.StepSize})";
        string temperature = (_options.ChatOptions?.Temperature ?? _options.Temperature) is float t ? Fingerprints.Number(t) : "default";
        return $"llm({chat?.ProviderName}|{chat?.ProviderUri}|model={model};{mode};max-chars={_options.MaxCharactersPerDocument};temperature={temperature})";
    }
}
