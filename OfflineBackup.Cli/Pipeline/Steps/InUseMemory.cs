using NLog;
using OfflineBackup.Aws;
using OfflineBackup.Errors;
using OfflineBackup.Retention;
using OfflineBackup.Text;

namespace OfflineBackup.Pipeline.Steps;

/// <summary>
/// Writes the <see cref="InUseMark"/> after DeleteSnapshot answered InvalidSnapshot.InUse. Failing
/// to write it (CreateTags denied by an older IAM policy, say) only costs what it cost before the
/// mark existed, a max_deletes slot next run, so it is a warning and never fails retention.
/// </summary>
internal static class InUseMemory
{
    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    /// <returns>Null when the mark was written, else what went wrong.</returns>
    public static async Task<string?> RememberAsync(
        ISnapshotStore store, string snapshotId, string? imageId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var mark = InUseMark.Format(imageId, now);
        try
        {
            await store.TagSnapshotAsync(snapshotId, new Dictionary<string, string> { [OwnershipTags.InUse] = mark }, cancellationToken);
            Log.WithProperty("step", "retention").WithProperty("snapshot", snapshotId)
                .Info("{snapshot} marked {tag} = {mark}: kept without a delete attempt until {until}",
                    snapshotId, OwnershipTags.InUse, mark, Durations.Utc(now + InUseMark.Recheck));
            return null;
        }
        catch (BackupException e) when (!cancellationToken.IsCancellationRequested)
        {
            Log.WithProperty("step", "retention").WithProperty("snapshot", snapshotId)
                .Warn("{snapshot}: cannot set {tag}: {message}", snapshotId, OwnershipTags.InUse, e.Message);
            return e.Message;
        }
    }
}
