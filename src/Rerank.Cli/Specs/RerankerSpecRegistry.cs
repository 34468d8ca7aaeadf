namespace Rerank.Cli;

/// <summary>
/// Maps the reranker specs of <c>rerank eval --reranker SPEC</c> (<c>scheme</c> or <c>scheme:argument</c>) to factories.
/// </summary>
/// <remarks>
/// To make a new kind of reranker available on the command line, add one <see cref="Register"/> call to
/// <see cref="CreateDefault"/>, with a factory that parses its argument and returns the reranker, for example:
/// <code>
/// registry.Register("embed", "embed:DIR  cosine of a sentence-transformers bi-encoder exported to ONNX", EmbeddingSpecs.CreateAsync);
/// registry.Register("colbert", "colbert:DIR  late interaction (MaxSim) with a ColBERT model", ColbertSpecs.CreateAsync);
/// </code>
/// The factory throws <see cref="CliUsageException"/> for a malformed argument; anything it creates is disposed by the
/// CLI after the run. The usage line is shown by <c>rerank eval --help</c>.
/// </remarks>
internal sealed class RerankerSpecRegistry
{
    private readonly Dictionary<string, (string Usage, RerankerFactory Factory)> _schemes = new(StringComparer.OrdinalIgnoreCase);

    public static RerankerSpecRegistry CreateDefault()
    {
        var registry = new RerankerSpecRegistry();
        registry.Register("bm25", "bm25[:k1=1.2,b=0.75,stats=candidates|corpus,stopwords=none|english]  Okapi BM25 over the candidates (or with whole-corpus statistics)", BuiltInSpecs.Bm25Async);
        registry.Register("hybrid", "hybrid[:first=0.5,bm25=0.5,norm=minmax|zscore|rank,fusion=weighted|rrf,k1=…,b=…,stats=…]  fusion of the first-stage score and BM25", BuiltInSpecs.HybridAsync);
        registry.Register("onnx", "onnx:DIR  a cross-encoder exported to ONNX, from a local folder", BuiltInSpecs.OnnxAsync);
        registry.Register("colbert", "colbert:DIR  late interaction (MaxSim) with a ColBERT model exported to ONNX (PyLate or colbert-ai layout)", BuiltInSpecs.ColbertAsync);
        registry.Register("embed", "embed:DIR | embed:hf:REPO  cosine of a sentence-transformers bi-encoder exported to ONNX, from a folder or the Hugging Face Hub (documents embedded once per run)", BuiltInSpecs.EmbeddingAsync);
        registry.Register("hf", "hf:REPO  a cross-encoder from the Hugging Face Hub (cached like Python; HF_HOME, HF_TOKEN, HF_HUB_OFFLINE)", BuiltInSpecs.HuggingFaceAsync);
        registry.Register("cohere", "cohere[:MODEL]  Cohere Rerank v2 (key from CO_API_KEY; rerank-v3.5 by default)", BuiltInSpecs.CohereAsync);
        return registry;
    }

    public IEnumerable<string> Usages => _schemes.Values.Select(entry => entry.Usage);

    public void Register(string scheme, string usage, RerankerFactory factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scheme);
        ArgumentNullException.ThrowIfNull(factory);
        if (scheme.Contains(':', StringComparison.Ordinal) || !_schemes.TryAdd(scheme, (usage, factory)))
        {
            throw new ArgumentException($"The reranker scheme '{scheme}' contains a colon or is registered already.", nameof(scheme));
        }
    }

    public async Task<IReranker> CreateAsync(string spec, RerankerSpecContext context, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec);
        int colon = spec.IndexOf(':', StringComparison.Ordinal);
        string scheme = colon < 0 ? spec : spec[..colon];
        string? argument = colon < 0 ? null : spec[(colon + 1)..];
        if (!_schemes.TryGetValue(scheme, out (string Usage, RerankerFactory Factory) entry))
        {
            throw new CliUsageException($"Unknown reranker '{spec}'. Known:\n  {string.Join("\n  ", Usages)}");
        }

        return await entry.Factory(spec, argument, context, cancellationToken).ConfigureAwait(false);
    }
}
