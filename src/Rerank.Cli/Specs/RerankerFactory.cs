namespace Rerank.Cli;

/// <summary>Creates the reranker a spec names.</summary>
/// <param name="spec">The whole spec, for error messages (<c>bm25:k1=0.9</c>).</param>
/// <param name="argument">The text after the first colon, or <see langword="null"/> when there is none.</param>
/// <param name="context">The experiment's data, the log and the environment.</param>
/// <param name="cancellationToken">Cancels a download or a model load.</param>
/// <returns>The reranker; the CLI disposes it at the end of the run.</returns>
internal delegate Task<IReranker> RerankerFactory(string spec, string? argument, RerankerSpecContext context, CancellationToken cancellationToken);
