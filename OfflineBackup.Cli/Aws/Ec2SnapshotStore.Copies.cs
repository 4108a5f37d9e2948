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
        var response = await CallAsync(
            "CopySnapshot", () => ec2.CopySnapshotAsync(ToCopyRequest(request, dryRun: false), cancellationToken), cancellationToken)
            .ConfigureAwait(false);
        return response.SnapshotId is { Length: > 0 } id
            ? id
            : throw new BackupException(ExitCodes.SnapshotFailed, $"EC2 answered CopySnapshot of {request.SourceSnapshotId} without a snapshot id");
    }

    public Task<PermissionProbe> ProbeCopySnapshotAsync(SnapshotCopyRequest request, CancellationToken cancellationToken) =>
        ProbeAsync("CopySnapshot", async () =>
        {
            var response = await ec2.CopySnapshotAsync(ToCopyRequest(request, dryRun: true), cancellationToken).ConfigureAwait(false);
            return response.SnapshotId;
        }, cancellationToken);

    public async Task<IReadOnlyList<Snapshot>> ListCopiesAsync(string sourceVolumeId, CancellationToken cancellationToken)
    {
        var copies = new List<Snapshot>();
        var seenTokens = new HashSet<string>(StringComparer.Ordinal);
        string? nextToken = null;
        do
        {
            var request = new DescribeSnapshotsRequest
            {
                OwnerIds = ["self"],
                Filters =
                [
                    new Filter { Name = "tag:" + OwnershipTags.CreatedBy, Values = [OwnershipTags.CreatedByValue] },
                    new Filter { Name = "tag:" + OwnershipTags.Volume, Values = [sourceVolumeId] },
                ],
                MaxResults = PageSize,
                NextToken = nextToken,
            };
            var page = await CallAsync(
                "DescribeSnapshots", () => ec2.DescribeSnapshotsAsync(request, cancellationToken), cancellationToken)
                .ConfigureAwait(false);

            // Belt and braces, as for the volume's sweep: only what carries our tags, whatever the filter did.
            copies.AddRange((page.Snapshots ?? []).Select(SnapshotMapping.ToSnapshot).Where(s =>
                s.Tag(OwnershipTags.CreatedBy) == OwnershipTags.CreatedByValue
                && s.Tag(OwnershipTags.Volume) == sourceVolumeId
                && s.Tag(OwnershipTags.SourceSnapshot) is not null));
            nextToken = string.IsNullOrEmpty(page.NextToken) ? null : page.NextToken;
            if (nextToken is not null && !seenTokens.Add(nextToken))
            {
                throw new BackupException(ExitCodes.SnapshotFailed,
                    $"ec2:DescribeSnapshots returned the same NextToken twice while listing the copies of {sourceVolumeId}; stopping");
            }
        }
        while (nextToken is not null);

        return copies;
    }

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
