namespace Rerank.Onnx.Inference;

/// <summary>
/// Counts the calls running on an object so that disposing it waits for them: after <see cref="CloseAndWait"/> starts,
/// no call enters, and it returns once the last running call has left.
/// </summary>
internal sealed class CallGate
{
    private readonly object _lock = new();
    private int _running;
    private bool _closed;

    /// <summary>Gets a value indicating whether the gate is closed.</summary>
    public bool IsClosed => Volatile.Read(ref _closed);

    /// <summary>Enters a call.</summary>
    /// <param name="owner">The object, named in the exception.</param>
    /// <returns>A lease to dispose when the call ends.</returns>
    /// <exception cref="ObjectDisposedException">The gate is closed.</exception>
    public Lease Enter(object owner)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_closed, owner);
            _running++;
        }

        return new Lease(this);
    }

    /// <summary>Closes the gate and waits for the running calls to leave.</summary>
    /// <returns>Whether this call closed it (false when it was closed already).</returns>
    public bool CloseAndWait()
    {
        lock (_lock)
        {
            if (_closed)
            {
                return false;
            }

            _closed = true;
            while (_running > 0)
            {
                Monitor.Wait(_lock);
            }

            return true;
        }
    }

    private void Exit()
    {
        lock (_lock)
        {
            if (--_running == 0 && _closed)
            {
                Monitor.PulseAll(_lock);
            }
        }
    }

    /// <summary>One running call; disposing it more than once leaves the gate only once.</summary>
    public sealed class Lease(CallGate gate) : IDisposable
    {
        private int _left;

        /// <inheritdoc />
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _left, 1) == 0)
            {
                gate.Exit();
            }
        }
    }
}
