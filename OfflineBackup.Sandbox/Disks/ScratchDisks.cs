using OfflineBackup.Sandbox.MariaDb;

namespace OfflineBackup.Sandbox.Disks;

/// <summary>
/// A disk store in a sandbox directory of its own, for a test that needs volumes without a
/// MariaDB pair. Disposing (or the process ending, or the next start after a SIGKILL) releases
/// its mounts and loop devices and deletes the directory.
/// </summary>
public sealed class ScratchDisks : IAsyncDisposable
{
    private readonly SandboxExitGuard _exitGuard;
    private int _disposed;

    private ScratchDisks(string directory, DiskStore store, SandboxExitGuard exitGuard)
    {
        Directory = directory;
        Store = store;
        _exitGuard = exitGuard;
    }

    /// <summary>The owned sandbox directory; the store lives in its <c>disks</c> subdirectory.</summary>
    public string Directory { get; }

    public DiskStore Store { get; }

    public static async Task<ScratchDisks> CreateAsync(DiskModeRequest mode, CancellationToken cancellationToken)
    {
        SandboxDirectory.ReapAbandoned();
        var directory = SandboxDirectory.Create();
        var exitGuard = new SandboxExitGuard(directory);
        try
        {
            var store = await DiskStore.OpenAsync(System.IO.Path.Combine(directory, "disks"), mode, cancellationToken);
            return new ScratchDisks(directory, store, exitGuard);
        }
        catch
        {
            exitGuard.Dispose();
            SandboxDirectory.Destroy(directory);
            throw;
        }
    }

    /// <summary>A place for a mount point, inside the owned directory.</summary>
    public string Path(string name) => System.IO.Path.Combine(Directory, name);

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _exitGuard.Dispose();
            SandboxDirectory.Destroy(Directory);
        }

        return ValueTask.CompletedTask;
    }
}
