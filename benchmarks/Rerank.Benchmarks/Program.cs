using BenchmarkDotNet.Running;

// `dotnet run -c Release --project benchmarks/Rerank.Benchmarks -- --filter *` runs the BenchmarkDotNet suites.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
