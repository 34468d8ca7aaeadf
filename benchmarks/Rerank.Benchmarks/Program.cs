using BenchmarkDotNet.Running;
using Rerank.Benchmarks;

// `dotnet run -c Release --project benchmarks/Rerank.Benchmarks -- bench` runs the end-to-end cross-encoder comparison
// (see BenchCommand); `-- metrics-cpu` times the evaluation metrics by CPU time (MetricsCpuCommand); anything else goes to BenchmarkDotNet, e.g. `-- --filter *TokenizeAndBatch*`.
if (args is ["bench-embeddings", ..])
{
    return await EmbeddingBenchCommand.RunAsync(args[1..]);
}

if (args is ["bench", ..])
{
    return await BenchCommand.RunAsync(args[1..]);
}

if (args is ["bench-late-interaction", ..])
{
    return await Rerank.Benchmarks.LateInteraction.LateInteractionBenchCommand.RunAsync(args[1..]);
}

if (args is ["metrics-cpu", ..])
{
    return Rerank.Benchmarks.Evaluation.MetricsCpuCommand.Run(args[1..]);
}

if (args is ["bench-serve", ..])
{
    return await Rerank.Benchmarks.Serving.ServeBenchCommand.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(BenchCommand).Assembly).Run(args);
return 0;
