namespace Rerank.Cli;

/// <summary>What a command talks to: its output streams, the reranker specs it knows, the environment, and whether a person watches the terminal.</summary>
/// <param name="Output">Results (the console table, the metrics JSON).</param>
/// <param name="Error">Progress, warnings and errors.</param>
/// <param name="Registry">The reranker specs <c>--reranker</c> accepts.</param>
/// <param name="GetEnvironmentVariable">Reads an environment variable; tests pass their own.</param>
/// <param name="Interactive">Whether to draw the progress bar (the error stream is a terminal).</param>
internal sealed record CliConsole(TextWriter Output, TextWriter Error, RerankerSpecRegistry Registry, Func<string, string?> GetEnvironmentVariable, bool Interactive);
