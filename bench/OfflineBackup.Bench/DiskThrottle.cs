using System.Globalization;
using OfflineBackup.Sandbox.Testing;

namespace OfflineBackup.Bench;

/// <summary>
/// Gives the replica the write speed of a cloud volume rather than the bench machine's local
/// disk: a blkio cgroup (cgroup v1, <c>blkio.throttle.*</c>) that limits the writes of the
/// processes in it to the device holding the replica's files. InnoDB writes its pages with
/// O_DIRECT, so they are throttled as issued. The running server is moved in, and the tool's
/// start command joins it first, so the restarted server is in it too. Disposing moves what is
/// left back to the root group and removes the group.
/// </summary>
public sealed class DiskThrottle : IDisposable
{
    private const string Root = "/sys/fs/cgroup/blkio";
    private readonly string _group;

    private DiskThrottle(string group, string device)
    {
        _group = group;
        Device = device;
    }

    /// <summary>The limited device, as MAJ:MIN.</summary>
    public string Device { get; }

    /// <summary>Shell prefix that puts the shell, and so whatever it starts, into the group.</summary>
    public string JoinCommand => $"echo $$ > {_group}/cgroup.procs && ";

    public static async Task<DiskThrottle> CreateAsync(string directory, int pid, long writeIops, long writeBytesPerSecond, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(Root))
        {
            throw new InvalidOperationException($"no cgroup v1 blkio controller at {Root}: the busy-replica scene cannot limit the replica's disk");
        }

        var found = await ChildProcess.RunAsync("findmnt", ["-n", "-o", "MAJ:MIN", "--target", directory], cancellationToken);
        var device = found.StandardOutput.Trim();
        if (!found.Succeeded || device.Length == 0)
        {
            throw new InvalidOperationException($"cannot tell the device of {directory}: {found}");
        }

        var group = Path.Combine(Root, $"offline-backup-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(group);
        var throttle = new DiskThrottle(group, device);
        try
        {
            await File.WriteAllTextAsync(Path.Combine(group, "blkio.throttle.write_iops_device"), string.Create(CultureInfo.InvariantCulture, $"{device} {writeIops}"), cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(group, "blkio.throttle.write_bps_device"), string.Create(CultureInfo.InvariantCulture, $"{device} {writeBytesPerSecond}"), cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(group, "cgroup.procs"), pid.ToString(CultureInfo.InvariantCulture), cancellationToken);
            return throttle;
        }
        catch
        {
            throttle.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        // A group can only be removed once empty: hand back whatever is still in it.
        foreach (var pid in File.Exists(Path.Combine(_group, "cgroup.procs")) ? File.ReadAllLines(Path.Combine(_group, "cgroup.procs")) : [])
        {
            try
            {
                File.WriteAllText(Path.Combine(Root, "cgroup.procs"), pid);
            }
            catch (IOException)
            {
                // Exited in between.
            }
        }

        if (Directory.Exists(_group))
        {
            Directory.Delete(_group);
        }
    }
}
