using System.Runtime.InteropServices;

namespace Rerank.Benchmarks.LateInteraction;

/// <summary>
/// The CPU time of the calling thread (Linux <c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c>): on a machine shared with
/// other jobs it measures what a loop costs, where wall time measures how long the scheduler let it run.
/// </summary>
internal static class ThreadCpuClock
{
    private const int ThreadCpuTimeId = 3;

    /// <summary>Gets the thread's CPU time so far, or <see langword="null"/> off Linux.</summary>
    public static TimeSpan? Now()
    {
        if (!OperatingSystem.IsLinux() || ClockGetTime(ThreadCpuTimeId, out TimeSpec time) != 0)
        {
            return null;
        }

        return TimeSpan.FromTicks((time.Seconds * TimeSpan.TicksPerSecond) + (time.Nanoseconds / 100));
    }

    // DllImport rather than LibraryImport: the benchmark project does not allow unsafe code, and one call per
    // measurement does not need the generated marshalling.
    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
