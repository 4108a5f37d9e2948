using Amazon.EC2;
using Amazon.EC2.Model;
using OfflineBackup.Errors;

namespace OfflineBackup.Aws;

/// <summary>CopySnapshot and the copies' sweep, for a store pointed at the copy region.</summary>
public sealed partial class Ec2SnapshotStore : ISnapshotCopier
{
    public async Task<string> CopySnapshotAsync(SnapshotCopyRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // Like CreateSnapshot, CopySnapshot has no idempotency token: it goes out once, on a
        // connection of its own, and a lost answer is resolved by the next run's look-up by
        // source tag, never by a resend.
        var response = await CallAsync(
            "CopySnapshot",
            token => SendOnceAsync((ec2, t) => ec2.CopySnapshotAsync(ToCopyRequest(request, dryRun: false), t), token),
            cancellationToken).ConfigureAwait(false);
        return response.SnapshotId is { Length: > 0 } id
            ? id
            : throw new BackupException(ExitCodes.SnapshotFailed, $"EC2 answered CopySnapshot of {request.SourceSnapshotId} without a snapshot id");
    }

    public Task<PermissionProbe> ProbeCopySnapshotAsync(SnapshotCopyRequest request, CancellationToken cancellationToken) =>
        ProbeAsync("CopySnapshot", async token =>
        {
            var response = await Client.CopySnapshotAsync(ToCopyRequest(request, dryRun: true), token).ConfigureAwait(false);
            return response.SnapshotId;
        }, cancellationToken);

    public Task<IReadOnlyList<Snapshot>> ListCopiesAsync(string sourceVolumeId, CancellationToken cancellationToken) =>
        DescribeAllAsync(
            [Filter("tag:" + ToolTags.CreatedBy, ToolTags.CreatedByValue), Filter("tag:" + ToolTags.Volume, sourceVolumeId)],
            "the copies of " + sourceVolumeId,
            // Belt and braces, as for the volume's sweep: only what carries our tags, whatever the filter did.
            s => s.Tag(ToolTags.CreatedBy) == ToolTags.CreatedByValue
                && s.Tag(ToolTags.Volume) == sourceVolumeId
                && s.Tag(ToolTags.SourceSnapshot) is not null,
            cancellationToken);

    private static CopySnapshotRequest ToCopyRequest(SnapshotCopyRequest request, bool dryRun) => new()
    {
        SourceRegion = request.SourceRegion,
        SourceSnapshotId = request.SourceSnapshotId,
        Description = request.Description,
        Encrypted = request.KmsKeyId is null ? null : true,
        KmsKeyId = request.KmsKeyId,
        DryRun = dryRun ? true : null,
        TagSpecifications = [new TagSpecification { ResourceType = ResourceType.Snapshot, Tags = SnapshotMapping.ToTags(request.Tags) }],
    };
}
