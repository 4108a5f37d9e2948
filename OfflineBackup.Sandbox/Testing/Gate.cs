namespace OfflineBackup.Sandbox.Testing;

/// <summary>
/// Holds a phase open inside this process (an EC2 double hook, say) until the test releases it.
/// The held code calls <see cref="HoldAsync"/>; the test awaits <see cref="ReachedAsync"/>, so it
/// knows the phase was reached, acts, then calls <see cref="Release"/>. No timing is assumed:
/// under any load the phase stays open exactly as long as the test needs.
/// </summary>
public sealed class Gate : IDisposable
{
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsReached => _reached.Task.IsCompleted;

    /// <summary>
    /// Marks the phase reached and waits for the release. Deaf to cancellation on purpose: what
    /// it stands for (EC2 carrying out a request it received) goes on whatever became of the caller.
    /// </summary>
    public Task HoldAsync()
    {
        _reached.TrySetResult();
        return _released.Task;
    }

    /// <summary>Returns once the phase is reached; fails when <paramref name="limit"/> passes first.</summary>
    public async Task ReachedAsync(TimeSpan limit, Func<string>? describe = null)
    {
        try
        {
            await _reached.Task.WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"the phase was not reached within {limit}\n{describe?.Invoke()}");
        }
    }

    public void Release() => _released.TrySetResult();

    /// <summary>Releases whatever is still held, so nothing waits on a test that has ended.</summary>
    public void Dispose() => Release();
}
