using System.Globalization;
using OfflineBackup.Sandbox.Disks;

namespace OfflineBackup.Sandbox.SandboxCommand;

/// <summary>The sandbox's last word: the snapshot the run took restores, and holds the last row written before it.</summary>
internal static class RestoreProof
{
    public const string Note = "written on the primary just before the backup";

    public static async Task<bool> ReportAsync(Testing.ToolWorld world, string snapshotId, long rowId, TextWriter output, CancellationToken cancellationToken)
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
        Found found;
        try
        {
            found = await check.RunAsync(snapshotId, (restored, token) => ReadAsync(restored, rowId, token), cancellationToken);
        }
        catch (Exception e) when (e is MariaDb.MariaDbStartException or DiskException or Amazon.Runtime.AmazonServiceException
            or global::MySql.Data.MySqlClient.MySqlException or TimeoutException or InvalidOperationException)
        {
            await output.WriteLineAsync($"sandbox: PROBLEM: the snapshot does not restore: {e.Message}");
            return false;
        }

        var restored = found.Restored;
        var where = string.Create(CultureInfo.InvariantCulture,
            $"a throwaway mariadbd (server_id {found.ServerId}) on {restored.VolumeId}, made from {snapshotId} and attached as {restored.LocalDevice} ({restored.Mode.ToString().ToLowerInvariant()} mode)");
        await output.WriteLineAsync(found.Note == Note
            ? $"sandbox: the snapshot restores: {where} found the row {Note} (id {rowId})"
            : $"sandbox: PROBLEM: the snapshot does not restore: {where} did not find the row {Note} (id {rowId})");
        return found.Note == Note;
    }

    private static async Task<Found> ReadAsync(RestoredServer restored, long rowId, CancellationToken cancellationToken)
    {
        var note = await restored.Server.ScalarAsync(
            string.Create(CultureInfo.InvariantCulture, $"SELECT note FROM {MariaDb.MariaDbReplicationPair.WritesTable} WHERE id = {rowId}"),
            cancellationToken) as string;
        var serverId = Convert.ToInt64(await restored.Server.ScalarAsync("SELECT @@server_id", cancellationToken), CultureInfo.InvariantCulture);
        return new Found(restored, note, serverId);
    }

    private sealed record Found(RestoredServer Restored, string? Note, long ServerId);
}
