using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Rerank.Onnx.Hub;

/// <summary>
/// An exclusive lock on one blob, between threads and between processes. Across processes it is the lock file that
/// <c>huggingface_hub</c> uses (<c>.locks/models--org--name/{etag}.lock</c>): .NET opens it with
/// <see cref="FileShare.None"/>, which on Linux and macOS takes the same <c>flock</c> as Python's <c>filelock</c>, and
/// the operating system drops it when a process dies, so a crash never leaves a stale lock. Within a process a
/// semaphore per path orders the waiters without polling. The file is never deleted: deleting a lock file lets two
/// holders lock two different files of the same name.
/// </summary>
internal sealed class HubFileLock : IDisposable
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> s_inProcess = new(StringComparer.Ordinal);
    private static readonly TimeSpan MaxPollDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LogEvery = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _semaphore;
    private FileStream? _file;

    private HubFileLock(SemaphoreSlim semaphore, FileStream file)
    {
        _semaphore = semaphore;
        _file = file;
    }

    public static async Task<HubFileLock> AcquireAsync(string lockPath, ILogger logger, CancellationToken cancellationToken)
    {
        SemaphoreSlim semaphore = s_inProcess.GetOrAdd(Path.GetFullPath(lockPath), static _ => new SemaphoreSlim(1, 1));
        if (!semaphore.Wait(0))
        {
            HubLog.WaitingForLock(logger, lockPath);
            await semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(lockPath)!);
            TimeSpan delay = TimeSpan.FromMilliseconds(20);
            DateTime nextLog = DateTime.UtcNow;
            while (true)
            {
                try
                {
                    var file = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1, FileOptions.None);
                    return new HubFileLock(semaphore, file);
                }
                catch (IOException ex) when (IsHeldElsewhere(ex))
                {
                    if (DateTime.UtcNow >= nextLog)
                    {
                        HubLog.WaitingForLock(logger, lockPath);
                        nextLog = DateTime.UtcNow + LogEvery;
                    }
                }

                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxPollDelay.Ticks));
            }
        }
        catch
        {
            semaphore.Release();
            throw;
        }
    }

    public void Dispose()
    {
        FileStream? file = Interlocked.Exchange(ref _file, null);
        if (file is not null)
        {
            file.Dispose();
            _semaphore.Release();
        }
    }

    // A sharing or lock violation: another process holds the file. Anything else (no permission, no disk) is a real error.
    private static bool IsHeldElsewhere(IOException ex) =>
        ex is not (FileNotFoundException or DirectoryNotFoundException or PathTooLongException or DriveNotFoundException)
        && (OperatingSystem.IsWindows()
            ? (ex.HResult & 0xFFFF) is 32 or 33 // ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION
            : ex.HResult is 11 or 35); // EWOULDBLOCK from flock: 11 on Linux, 35 on macOS
}
