using OfflineBackup.Aws;
using OfflineBackup.Configuration;
using OfflineBackup.Copies;
using OfflineBackup.Pipeline;
using OfflineBackup.Retention;

namespace OfflineBackup.Commands;

/// <summary>
/// <c>check</c>'s look at the copy region: a DryRun CopySnapshot of the newest completed snapshot
/// of ours, with the configured KMS key, exactly as a run would ask. Only <c>check</c> runs it:
/// a copy problem must never keep <c>run</c> from taking the backup.
/// </summary>
public static class CopyProbe
{
    public const string Name = "copy";

    /// <returns>Null without a copy: section.</returns>
    public static async Task<GuardResult?> EvaluateAsync(CommandSession session, ISnapshotStore source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var settings = session.Settings;
        if (settings.Copy is not { } copy || settings.Aws.Region is not { } sourceRegion)
        {
            return null;
        }

        var target = session.Services.Adapters.CreateSnapshotStore(new AwsSettings(copy.Region, copy.EndpointUrl)) as ISnapshotCopier
            ?? throw new InvalidOperationException("the snapshot store for the copy region cannot copy");
        var key = copy.KmsKeyId is null ? string.Empty : $" with KMS key {copy.KmsKeyId}";
        try
        {
            var policy = RetentionPolicy.From(settings) with { AdoptLegacy = false };
            var newest = (await source.ListVolumeSnapshotsAsync(settings.Instance.VolumeId, cancellationToken))
                .Where(s => s.State == SnapshotState.Completed && OwnershipClassifier.Classify(s, policy).Ownership == Ownership.Ours)
                .MaxBy(s => s.StartTime);
            if (newest is null)
            {
                return GuardResult.Pass(Name, $"CopySnapshot into {copy.Region} not probed: no completed snapshot of ours yet");
            }

            var probe = await target.ProbeCopySnapshotAsync(CopyPolicy.Request(newest, sourceRegion, copy), cancellationToken);
            return probe.Outcome == ProbeOutcome.Allowed
                ? GuardResult.Pass(Name, $"ec2:CopySnapshot of {newest.Id} into {copy.Region}{key} allowed")
                : GuardResult.Refuse(Name, ExitCodes.PermissionDenied, $"{probe.Detail} (copying into {copy.Region}{key})");
        }
        catch (BackupException e) when (!cancellationToken.IsCancellationRequested)
        {
            var code = e.ExitCode == ExitCodes.PermissionDenied ? ExitCodes.PermissionDenied : ExitCodes.CopyIncomplete;
            return GuardResult.Refuse(Name, code, $"CopySnapshot into {copy.Region}{key} would fail: {e.Message}");
        }
    }
}
