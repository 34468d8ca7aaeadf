namespace Rerank.Onnx.Embeddings;

/// <summary>
/// Counts the calls running on an object so that disposing it waits for them: once <see cref="Close"/> has begun,
/// no call enters, and it returns when the last running call has left.
/// </summary>
internal sealed class InFlightCalls
{
    private readonly object _lock = new();
    private int _active;
    private bool _closed;

    /// <summary>Gets a value indicating whether <see cref="Close"/> has been called.</summary>
    public bool IsClosed
    {
        get
        {
            lock (_lock)
            {
                return _closed;
            }
        }
    }

    /// <summary>Registers a call; the caller must call <see cref="Exit"/> exactly once when this returns <see langword="true"/>.</summary>
    /// <returns><see langword="false"/> when the object is closed.</returns>
    public bool TryEnter()
    {
        lock (_lock)
        {
            if (_closed)
            {
                return false;
            }

            _active++;
            return true;
        }
    }

    /// <summary>Ends a call registered by <see cref="TryEnter"/>.</summary>
    public void Exit()
    {
        lock (_lock)
        {
            if (--_active == 0 && _closed)
            {
                Monitor.PulseAll(_lock);
            }
        }
    }

    /// <summary>Stops new calls and waits for the running ones to finish.</summary>
    /// <returns><see langword="true"/> the first time; <see langword="false"/> when already closed.</returns>
    public bool Close()
    {
        lock (_lock)
        {
            if (_closed)
            {
                return false;
            }

            _closed = true;
            while (_active > 0)
            {
                Monitor.Wait(_lock);
            }

            return true;
        }
    }
}
