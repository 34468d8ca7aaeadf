namespace Rerank.Cli;

/// <summary>The command line is wrong: an unknown option, a missing value, a malformed reranker spec. Exit code 2.</summary>
internal sealed class CliUsageException(string message) : Exception(message);
