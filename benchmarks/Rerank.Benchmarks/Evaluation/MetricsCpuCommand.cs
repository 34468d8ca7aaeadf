using System.Diagnostics;
using System.Globalization;

namespace Rerank.Benchmarks.Evaluation;

/// <summary>
/// `-- metrics-cpu [rounds]`: the <see cref="MetricsBenchmarks"/> workloads timed by process CPU time, which a machine
/// shared with other jobs disturbs far less than wall-clock time (one warm-up call, then the median of the rounds).
/// </summary>
internal static class MetricsCpuCommand
{
    public static int Run(string[] args)
    {
        int rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
        var benchmarks = new MetricsBenchmarks { Queries = 10_000, Documents = 1_000 };
        benchmarks.Setup();
        Measure("EvaluateDefaultMetrics", rounds, () => benchmarks.EvaluateDefaultMetrics());
        Measure("EvaluateNdcg10", rounds, () => benchmarks.EvaluateNdcg10());
        Measure("RandomizationTest", rounds, () => benchmarks.RandomizationTest());
        Measure("BootstrapMean", rounds, () => benchmarks.BootstrapMean());
        return 0;
    }

    private static void Measure(string name, int rounds, Func<object> action)
    {
        action();
        var cpu = new double[rounds];
        var wall = new double[rounds];
        using Process process = Process.GetCurrentProcess();
        for (int i = 0; i < rounds; i++)
        {
            GC.Collect();
            process.Refresh();
            TimeSpan before = process.TotalProcessorTime;
            long start = Stopwatch.GetTimestamp();
            action();
            wall[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            process.Refresh();
            cpu[i] = (process.TotalProcessorTime - before).TotalMilliseconds;
        }

        Array.Sort(cpu);
        Array.Sort(wall);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-24} CPU median {cpu[rounds / 2],9:F0} ms   wall median {wall[rounds / 2],9:F0} ms   ({rounds} rounds)"));
    }
}
