using OfflineBackup.Sandbox.MariaDb;

namespace OfflineBackup.Sandbox.Disks;

/// <summary>
/// A disk store in a sandbox directory of its own, for a test that needs volumes without a
/// MariaDB pair. Disposing (or the process ending, or the next start after a SIGKILL) releases
/// its mounts and loop devices and deletes the directory.
/// </summary>
public sealed class ScratchDisks : IAsyncDisposable
{
    private readonly OwnedSandbox _sandbox;

    private ScratchDisks(OwnedSandbox sandbox, DiskStore store)
    {
        _sandbox = sandbox;
        Store = store;
    }

    /// <summary>The owned sandbox directory; the store lives in its <c>disks</c> subdirectory.</summary>
    public string Directory => _sandbox.Path;

    public DiskStore Store { get; }

    public static async Task<ScratchDisks> CreateAsync(DiskModeRequest mode, CancellationToken cancellationToken)
    {
        var sandbox = OwnedSandbox.Create();
        try
        {
            var store = await DiskStore.OpenAsync(System.IO.Path.Combine(sandbox.Path, "disks"), mode, cancellationToken);
            return new ScratchDisks(sandbox, store);
        }
        catch
        {
            sandbox.Dispose();
            throw;
        }
    }

    /// <summary>A place for a mount point, inside the owned directory.</summary>
    public string Path(string name) => System.IO.Path.Combine(Directory, name);

    public ValueTask DisposeAsync()
    {
        _sandbox.Dispose();
        return ValueTask.CompletedTask;
    }
}
