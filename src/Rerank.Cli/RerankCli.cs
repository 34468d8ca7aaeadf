using Rerank.Evaluation;

namespace Rerank.Cli;

/// <summary>The entry point of the <c>rerank</c> tool, callable in-process by tests.</summary>
internal static class RerankCli
{
    public const int UsageError = 2;
    public const int DataError = 1;

    public static Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        RunAsync(args, new CliConsole(output, error, RerankerSpecRegistry.CreateDefault(), Environment.GetEnvironmentVariable, !Console.IsErrorRedirected), cancellationToken);

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliConsole console, CancellationToken cancellationToken)
    {
        (TextWriter output, TextWriter error) = (console.Output, console.Error);
        string help = $"""
            rerank: evaluate rerankers on labelled queries.

            {MetricsCommand.Usage}

            {EvalCommand.Usage(console.Registry)}
            """;
        try
        {
            switch (args.Count > 0 ? args[0] : null)
            {
                case "metrics":
                    return MetricsCommand.Run([.. args.Skip(1)], output, error, cancellationToken);
                case "eval":
                    return await EvalCommand.RunAsync([.. args.Skip(1)], console, cancellationToken).ConfigureAwait(false);
                case "--help" or "-h" or "help":
                    output.WriteLine(help);
                    return 0;
                default:
                    error.WriteLine(help);
                    return UsageError;
            }
        }
        catch (CliUsageException ex)
        {
            error.WriteLine($"error: {ex.Message}");
            return UsageError;
        }
        catch (EvaluationDataException ex)
        {
            error.WriteLine($"error: {ex.Message}");
            return DataError;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            error.WriteLine("Cancelled before any query completed; nothing to report.");
            return 130;
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or UnauthorizedAccessException or ArgumentException
            or Rerank.Onnx.Hub.HuggingFaceHubException or Rerank.Onnx.OnnxModelLoadException or Rerank.Onnx.OnnxExecutionProviderException)
        {
            // A model that cannot be downloaded or loaded is reported like unreadable data: its message says what to do.
            error.WriteLine($"error: {ex.Message}");
            return DataError;
        }
    }
}
