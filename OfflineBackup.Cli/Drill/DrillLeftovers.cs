using NLog;
using OfflineBackup.Aws;
using OfflineBackup.Errors;
using OfflineBackup.Restore;

namespace OfflineBackup.Drill;

/// <summary>
/// Removes what a killed drill left, as its journal records it: the throwaway server (only if
/// its command line names the drill's socket), the mount, and the volume (only ours: the store
/// refuses others; found by the journal's volume id or, if it died mid-CreateVolume, by its run
/// id tag). Called under the drill lock, so the journal's writer is certainly gone.
/// </summary>
public sealed class DrillLeftovers(DrillJournal journal, IVolumeStore store, VolumeRestorer restorer, TimeSpan volumeTimeout, TimeProvider clock)
{
    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    /// <summary>What was found and removed, in words for a person; empty when there was no journal.</summary>
    public async Task<IReadOnlyList<string>> RemoveAsync(CancellationToken cancellationToken)
    {
        if (journal.Read() is not { } entry)
        {
            return [];
        }

        var removed = new List<string>();
        if (entry.ServerPid is { } pid && await ScratchServer.StopLeftoverAsync(pid, entry.Socket, clock, cancellationToken).ConfigureAwait(false))
        {
            removed.Add($"stopped the throwaway server (pid {pid})");
        }

        if (HostMounts.IsMountPoint(entry.MountPoint))
        {
            await HostMounts.UnmountAsync(entry.MountPoint, cancellationToken).ConfigureAwait(false);
            removed.Add($"unmounted {entry.MountPoint}");
        }

        var volumes = entry.VolumeId is { } id
            ? [id]
            : (await store.FindByRunIdAsync(entry.RunId, cancellationToken).ConfigureAwait(false)).Select(v => v.Id).ToList();
        foreach (var volumeId in volumes)
        {
            await restorer.RemoveAsync(volumeId, volumeTimeout, ExitCodes.DrillFailed, cancellationToken).ConfigureAwait(false);
            removed.Add($"deleted volume {volumeId}");
        }

        journal.Clear();
        var summary = $"an interrupted drill ({entry.RunId}, pid {entry.Pid}, snapshot {entry.SnapshotId}) was cleaned up: "
            + (removed.Count == 0 ? "nothing was left" : string.Join(", ", removed));
        Log.Warn("{summary}", summary);
        return [summary];
    }
}
