namespace OfflineBackup.Tests.Integration.Freezing;

/// <summary>
/// A loop-mounted ext4 volume of the test's own (a <see cref="ScratchDisks"/> under /tmp with its
/// owner marker), the only kind of filesystem these tests freeze. Disposing first runs the real
/// `fsfreeze -u` on it, so no failing test leaves it frozen, then releases the mount. Writes to it
/// happen only in child processes: a write from the test process to a frozen filesystem would
/// hang the test process itself.
/// </summary>
internal sealed class FreezeVolume : IAsyncDisposable
{
    /// <summary>Where the kernel parks a writer that waits for a frozen filesystem (sb_start_write).</summary>
    private const string FreezeWait = "percpu_rwsem_wait";

    private readonly ScratchDisks _scratch;

    private FreezeVolume(ScratchDisks scratch, DataVolume volume)
    {
        _scratch = scratch;
        Volume = volume;
    }

    public DataVolume Volume { get; }

    public string MountPoint => Volume.MountPoint;

    /// <summary>A place in the owned directory but outside the volume (on /tmp's filesystem).</summary>
    public string Outside(string name) => _scratch.Path(name);

    public static async Task<FreezeVolume> CreateAsync()
    {
        var scratch = await ScratchDisks.CreateAsync(DiskModeRequest.Loop, CancellationToken.None);
        try
        {
            var volume = await DataVolume.CreateAsync(
                scratch.Store, new DataVolumeOptions { VolumeId = "vol-00000000000f7ee2e", SizeGiB = 1, Mode = DiskModeRequest.Loop }, scratch.Path("data"), CancellationToken.None);
            return new FreezeVolume(scratch, volume);
        }
        catch
        {
            await scratch.DisposeAsync();
            throw;
        }
    }

    /// <summary>A writer in a process of its own: `echo TEXT > MOUNT/NAME`.</summary>
    public ChildProcess StartWriter(string name, string text = "written") =>
        ChildProcess.Start("/bin/sh", ["-c", "echo \"$1\" > \"$2\"", "writer", text, Path.Combine(MountPoint, name)]);

    /// <summary>A writer (<see cref="StartWriter"/>) once it sleeps in the kernel waiting for the freeze to end (its wchan says so).</summary>
    public async Task<ChildProcess> StartBlockedWriterAsync(string name)
    {
        var writer = StartWriter(name);
        try
        {
            await writer.WaitForAsync(() => WaitChannel(writer.Pid) == FreezeWait, TimeSpan.FromSeconds(30));
            return writer;
        }
        catch
        {
            writer.Dispose();
            throw;
        }
    }

    /// <summary>True when a write in another process completes: the filesystem is not frozen.</summary>
    public async Task<bool> WritableAsync(TimeSpan within)
    {
        using var writer = StartWriter("probe-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            return await writer.WaitAsync(within) == 0;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The real binary, not the code under test; "not frozen" (EINVAL) is the usual answer.
        await ChildProcess.RunAsync("fsfreeze", ["-u", MountPoint], CancellationToken.None);
        await _scratch.DisposeAsync();
    }

    private static string WaitChannel(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/wchan");
        }
        catch (IOException)
        {
            return "";
        }
    }
}
