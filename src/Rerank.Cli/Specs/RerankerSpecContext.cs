using Rerank.Evaluation;

namespace Rerank.Cli;

/// <summary>What a reranker factory may use: the experiment's data (its whole-corpus BM25 index, if any), the environment, a log.</summary>
/// <param name="Data">The loaded experiment data.</param>
/// <param name="Log">Where to say what is happening (downloads, model loads); the terminal's error stream.</param>
/// <param name="GetEnvironmentVariable">Reads an environment variable (a key); tests pass their own.</param>
internal sealed record RerankerSpecContext(ExperimentData Data, TextWriter Log, Func<string, string?> GetEnvironmentVariable);
