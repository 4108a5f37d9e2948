namespace OfflineBackup.Sandbox.Testing;

/// <summary>
/// Holds a shell command (the tool's stop command, say) at a point until the test releases it,
/// across processes: <see cref="Hold"/> is a shell fragment that marks the point reached with a
/// file and then waits for the release file. The test awaits <see cref="ReachedAsync"/> before it
/// acts, so it knows the command is there, and creates the release file when it is done. The
/// fragment outlives a killed caller (as a systemctl job would) and goes on once released.
/// </summary>
public sealed class FileGate(string directory, string name) : IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(25);

    public string ReachedFile { get; } = Path.Combine(directory, name + ".reached");

    public string ReleaseFile { get; } = Path.Combine(directory, name + ".release");

    /// <summary>The shell fragment to put before the held command, joined with "; ".</summary>
    public string Hold => $"touch '{ReachedFile}'; while [ ! -e '{ReleaseFile}' ]; do sleep 0.05; done";

    public bool IsReached => File.Exists(ReachedFile);

    /// <summary>Returns once the command reached the gate; fails when <paramref name="limit"/> passes first.</summary>
    public async Task ReachedAsync(TimeSpan limit, Func<string>? describe = null)
    {
        using var deadline = new CancellationTokenSource(limit);
        while (!IsReached)
        {
            if (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"the phase was not reached within {limit}\n{describe?.Invoke()}");
            }

            await Task.Delay(Poll, CancellationToken.None);
        }
    }

    public void Release() => File.WriteAllText(ReleaseFile, string.Empty);

    /// <summary>Releases the command if it still waits, so no shell outlives the test.</summary>
    public void Dispose()
    {
        if (Directory.Exists(directory))
        {
            Release();
        }
    }
}
