using Rerank.Cli;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl+C stops cleanly (what was measured is still written); a second one ends the process.
    if (!cancellation.IsCancellationRequested)
    {
        e.Cancel = true;
        Console.Error.WriteLine("\nStopping after the current query; press Ctrl+C again to quit at once.");
        cancellation.Cancel();
    }
};

return await RerankCli.RunAsync(args, Console.Out, Console.Error, cancellation.Token).ConfigureAwait(false);
