using System.Diagnostics;
using NLog;
using OfflineBackup.Errors;
using OfflineBackup.MySql;
using OfflineBackup.Platform;

namespace OfflineBackup.Pipeline.Steps;

/// <summary>
/// An EBS snapshot holds what reached the block device, not what sits in the page cache. After
/// mysqld stops, what it wrote without fsync (MyISAM and Aria tables, some replication info
/// files) and whatever the stop command wrote may still be only in memory; so, as
/// ec2-consistent-snapshot does with sync and xfs_freeze, the filesystem holding the data
/// directory is synced (syncfs(2)) between the stop and CreateSnapshot. The data directory is
/// read while MySQL still runs; when it is not a path on this host (the tool reaches a server
/// elsewhere) the sync is skipped with a warning.
/// </summary>
public sealed class DataDirectorySync(IReplicaServer replica)
{
    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    public static PlannedStep Describe() =>
        new("sync (syncfs) the filesystem holding MySQL's data directory, read from @@datadir before the stop, "
            + "so that what mysqld and the stop command wrote without fsync is in the snapshot; within service.max_down_seconds");

    /// <summary>Before the stop: the data directory, or null (with a warning in the log) when it is not a directory on this host.</summary>
    public async Task<string?> LocateAsync(CancellationToken cancellationToken)
    {
        var directory = await replica.ReadDataDirectoryAsync(cancellationToken);
        if (IsLocalDirectory(directory))
        {
            return directory;
        }

        Log.WithProperty("step", "sync").Warn(
            "MySQL's data directory {directory} (@@datadir) is not a directory on this host, so its filesystem cannot be synced after "
            + "the stop: data MySQL wrote without fsync may be missing from the snapshot. Run offline-backup on the replica's own host",
            directory.Length == 0 ? "(not reported)" : directory);
        return null;
    }

    /// <summary>A path the sync can open here: absolute and an existing directory.</summary>
    public static bool IsLocalDirectory(string directory) =>
        directory.Length > 0 && Path.IsPathFullyQualified(directory) && Directory.Exists(directory);

    /// <summary>
    /// After the stop, before CreateSnapshot. A sync that fails or does not finish before
    /// <paramref name="maxDown"/> fires is no snapshot at all (exit 8): a snapshot that silently
    /// lacks MyISAM or Aria writes is worse than none, and the next run tries again. The call
    /// itself cannot be cancelled; it is left to finish on its own thread while MySQL is started.
    /// </summary>
    public async Task<TimeSpan> SyncAsync(string directory, CancellationToken cancellationToken, CancellationToken maxDown)
    {
        var took = Stopwatch.StartNew();
        string? failure;
        try
        {
            failure = await Task.Run(() => LibC.SyncFilesystem(directory), CancellationToken.None).WaitAsync(maxDown);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BackupException(
                ExitCodes.SnapshotFailed,
                $"syncing the filesystem of MySQL's data directory {directory} did not finish within service.max_down_seconds "
                + $"({took.Elapsed.TotalSeconds:0}s): no snapshot was taken, since it could lack what MySQL wrote last. "
                + "MySQL was started; look at the disk (dmesg, iostat)");
        }

        if (failure is not null)
        {
            throw new BackupException(
                ExitCodes.SnapshotFailed,
                $"syncing the filesystem of MySQL's data directory {directory} failed ({failure}): no snapshot was taken, "
                + "since it could lack what MySQL wrote last. MySQL was started; look at the disk (dmesg)");
        }

        Log.WithProperty("step", "sync").Info("synced the filesystem of {directory} in {ms} ms", directory, took.ElapsedMilliseconds);
        return took.Elapsed;
    }
}
