namespace Rerank.Tests.Middleware;

/// <summary>Holds calls until released, and tells the test when a call has arrived: ordering without sleeps.</summary>
public sealed class Gate
{
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _entered = new(0);

    /// <summary>Use as <see cref="ProbeReranker.OnCall"/>: signals arrival, then waits for <see cref="Release"/> or the call's cancellation.</summary>
    public async Task PassAsync(ProbeCall call)
    {
        _entered.Release();
        await _released.Task.WaitAsync(call.CancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits until <paramref name="count"/> more calls have arrived at the gate.</summary>
    public async Task WaitForArrivalsAsync(int count = 1)
    {
        for (int i = 0; i < count; i++)
        {
            Assert.That(await _entered.WaitAsync(TimeSpan.FromSeconds(30)), Is.True, "a call did not arrive at the gate");
        }
    }

    /// <summary>Lets every held and future call through.</summary>
    public void Release() => _released.TrySetResult();
}
