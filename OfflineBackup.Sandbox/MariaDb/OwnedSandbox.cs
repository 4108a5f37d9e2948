namespace OfflineBackup.Sandbox.MariaDb;

/// <summary>
/// A sandbox directory this process owns, from its creation (after reaping the ones whose owner
/// was killed) to its destruction: on dispose, at process exit, or on a terminating signal unless
/// the owner handles those itself. The one way a MariaDB pair, a scratch disk store or the tests'
/// one publish of the binary holds its directory, so that none of them can forget a step of the clean-up.
/// </summary>
public sealed class OwnedSandbox : IDisposable
{
    private readonly SandboxExitGuard _exitGuard;
    private int _disposed;

    private OwnedSandbox(string path, bool destroyOnSignal)
    {
        Path = path;
        _exitGuard = new SandboxExitGuard(path, destroyOnSignal);
    }

    public string Path { get; }

    public static OwnedSandbox Create(bool destroyOnSignal = true)
    {
        SandboxDirectory.ReapAbandoned();
        return new OwnedSandbox(SandboxDirectory.Create(), destroyOnSignal);
    }

    /// <summary>Kills what still runs in the directory, releases its disks and deletes it; once.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _exitGuard.Dispose();
            SandboxDirectory.Destroy(Path);
        }
    }
}
