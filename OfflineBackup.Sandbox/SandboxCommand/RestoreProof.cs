using System.Globalization;
using OfflineBackup.Sandbox.Disks;

namespace OfflineBackup.Sandbox.SandboxCommand;

/// <summary>The sandbox's last word: the snapshot the run took restores, and holds the last row written before it.</summary>
internal static class RestoreProof
{
    public const string Note = "written on the primary just before the backup";

    public static async Task<bool> ReportAsync(SandboxWorld world, string snapshotId, long rowId, TextWriter output, CancellationToken cancellationToken)
    {
        var image = world.Ec2.SnapshotImage(snapshotId);
        if (image is null)
        {
            await output.WriteLineAsync($"sandbox: PROBLEM: snapshot {snapshotId} has no image to restore");
            return false;
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"sandbox: CreateSnapshot copied the volume's image in {image.Elapsed.TotalMilliseconds:0.0} ms ({image.Method} copy)"));
        var zone = world.Ec2.Volume(SandboxSite.VolumeId)!.AvailabilityZone;
        var check = new SnapshotRestoreCheck(
            world.Ec2, Path.Combine(world.Pair.RootDirectory, "restore"), SandboxSite.InstanceId, zone, world.Pair.Replica.RootPassword);
        RestoreOutcome outcome;
        try
        {
            outcome = await check.RunAsync(snapshotId, rowId, cancellationToken);
        }
        catch (Exception e) when (e is MariaDb.MariaDbStartException or DiskException or Amazon.Runtime.AmazonServiceException
            or global::MySql.Data.MySqlClient.MySqlException or TimeoutException or InvalidOperationException)
        {
            await output.WriteLineAsync($"sandbox: PROBLEM: the snapshot does not restore: {e.Message}");
            return false;
        }

        var where = string.Create(CultureInfo.InvariantCulture,
            $"a throwaway mariadbd (server_id {outcome.ServerId}) on {outcome.VolumeId}, made from {snapshotId} and attached as {outcome.LocalDevice} ({outcome.Mode} mode)");
        await output.WriteLineAsync(outcome.Note == Note
            ? $"sandbox: the snapshot restores: {where} found the row {Note} (id {rowId})"
            : $"sandbox: PROBLEM: the snapshot does not restore: {where} did not find the row {Note} (id {rowId})");
        return outcome.Note == Note;
    }
}
