using Rerank.Onnx;

namespace Rerank.Cli;

/// <summary>The factories of the reranker specs that ship with the CLI.</summary>
internal static class BuiltInSpecs
{
    public static Task<IReranker> Bm25Async(string spec, string? argument, RerankerSpecContext context, CancellationToken cancellationToken)
    {
        var parameters = new SpecParameters(spec, argument);
        Bm25Options options = ReadBm25(parameters, context, spec);
        parameters.EnsureAllRead();
        return Task.FromResult<IReranker>(new Bm25Reranker(options));
    }

    public static Task<IReranker> HybridAsync(string spec, string? argument, RerankerSpecContext context, CancellationToken cancellationToken)
    {
        var parameters = new SpecParameters(spec, argument);
        double first = parameters.Double("first", 0.5, 0, 1000);
        double bm25 = parameters.Double("bm25", 0.5, 0, 1000);
        ScoreNormalization normalization = parameters.Choice("norm", "minmax", "minmax", "zscore", "rank") switch
        {
            "zscore" => ScoreNormalization.ZScore,
            "rank" => ScoreNormalization.Rank,
            _ => ScoreNormalization.MinMax,
        };
        string fusion = parameters.Choice("fusion", "weighted", "weighted", "rrf");
        Bm25Options options = ReadBm25(parameters, context, spec);
        parameters.EnsureAllRead();
        HybridRerankerBuilder builder = new HybridRerankerBuilder()
            .AddFirstStageScore(first, normalization)
            .AddBm25(bm25, normalization, options);
        if (fusion == "rrf")
        {
            builder.UseReciprocalRankFusion();
        }

        return Task.FromResult<IReranker>(builder.Build());
    }

    public static Task<IReranker> OnnxAsync(string spec, string? argument, RerankerSpecContext context, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(argument))
        {
            throw new CliUsageException($"Reranker spec '{spec}': give the model folder, as in onnx:models/ms-marco-MiniLM-L-6-v2.");
        }

        context.Log.WriteLine($"Loading the ONNX cross-encoder from {argument}…");
        return Task.FromResult<IReranker>(new OnnxCrossEncoderReranker(argument));
    }

    public static Task<IReranker> ColbertAsync(string spec, string? argument, RerankerSpecContext context, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(argument))
        {
            throw new CliUsageException($"Reranker spec '{spec}': give the ColBERT model folder, as in colbert:models/answerai-colbert-small-v1.");
        }

        context.Log.WriteLine($"Loading the late-interaction (ColBERT) model from {argument}…");
        return Task.FromResult<IReranker>(new Rerank.Onnx.OnnxLateInteractionReranker(argument));
    }

    public static async Task<IReranker> EmbeddingAsync(string spec, string? argument, RerankerSpecContext context, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(argument) || argument == "hf:")
        {
            throw new CliUsageException($"Reranker spec '{spec}': give the sentence-transformers model folder or Hub repository, as in embed:models/all-MiniLM-L6-v2 or embed:hf:sentence-transformers/all-MiniLM-L6-v2.");
        }

        if (argument.StartsWith("hf:", StringComparison.Ordinal))
        {
            string repo = HubRepository(spec, argument[3..], "embed:hf:sentence-transformers/all-MiniLM-L6-v2");
            context.Log.WriteLine($"Getting the embedding model {repo} from the Hugging Face cache or the Hub…");
            return new GeneratorOwningReranker(await Rerank.Onnx.OnnxEmbeddingGenerator.FromPretrainedAsync(repo, cancellationToken: cancellationToken).ConfigureAwait(false));
        }

        context.Log.WriteLine($"Loading the embedding model from {argument}…");
        return new GeneratorOwningReranker(new Rerank.Onnx.OnnxEmbeddingGenerator(argument));
    }

    public static async Task<IReranker> HuggingFaceAsync(string spec, string? argument, RerankerSpecContext context, CancellationToken cancellationToken)
    {
        string repo = HubRepository(spec, argument, "hf:cross-encoder/ms-marco-MiniLM-L-6-v2");
        context.Log.WriteLine($"Getting {repo} from the Hugging Face cache or the Hub…");
        return await OnnxCrossEncoderReranker.FromPretrainedAsync(repo, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static string HubRepository(string spec, string? repo, string example) =>
        string.IsNullOrWhiteSpace(repo) || !repo.Contains('/', StringComparison.Ordinal)
            ? throw new CliUsageException($"Reranker spec '{spec}': give the Hub repository, as in {example}.")
            : repo;

    public static Task<IReranker> CohereAsync(string spec, string? argument, RerankerSpecContext context, CancellationToken cancellationToken)
    {
        string? key = context.GetEnvironmentVariable("CO_API_KEY");
        if (string.IsNullOrWhiteSpace(key))
        {
            throw new CliUsageException($"Reranker spec '{spec}': set the environment variable CO_API_KEY to your Cohere API key.");
        }

        var options = new CohereRerankerOptions { ApiKey = key, ModelId = string.IsNullOrWhiteSpace(argument) ? null : argument };
        return Task.FromResult<IReranker>(new CohereReranker(options));
    }

    private static Bm25Options ReadBm25(SpecParameters parameters, RerankerSpecContext context, string spec)
    {
        var options = new Bm25Options
        {
            K1 = parameters.Double("k1", 1.2, 0, 100),
            B = parameters.Double("b", 0.75, 0, 1),
            Analyzer = parameters.Choice("stopwords", "none", "none", "english") == "english" ? TextAnalyzer.English : TextAnalyzer.Default,
        };
        if (parameters.Choice("stats", "candidates", "candidates", "corpus") == "corpus")
        {
            // Whole-corpus statistics come from the first-stage index, so they exist only when the first stage is built-in BM25.
            Bm25Index index = context.Data.Bm25Index
                ?? throw new CliUsageException($"Reranker spec '{spec}': stats=corpus needs the built-in BM25 first stage (--first-stage bm25), whose index holds the corpus statistics.");
            if (!ReferenceEquals(index.Analyzer, options.Analyzer))
            {
                throw new CliUsageException($"Reranker spec '{spec}': stats=corpus needs the first stage's analyser; leave stopwords unset.");
            }

            options.CorpusStatistics = index.Statistics;
        }

        return options;
    }
}
