using Amazon.EC2;
using Amazon.EC2.Model;
using NLog;
using OfflineBackup.Errors;

namespace OfflineBackup.Aws;

/// <summary>
/// <see cref="ISnapshotStore"/> over AWSSDK.EC2. Every failure leaves as <see cref="Ec2OperationException"/>
/// (exit 11 or 8) after the SDK's retries; retrying a per-volume rate limit and resolving an
/// ambiguous CreateSnapshot are the run step's business, not this class's.
/// </summary>
public sealed partial class Ec2SnapshotStore(IAmazonEC2 ec2) : ISnapshotStore
{
    private const int PageSize = 1000;
    private const string DryRunOperation = "DryRunOperation";
    private const string UnauthorizedOperation = "UnauthorizedOperation";

    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    public Task<IReadOnlyList<Snapshot>> ListVolumeSnapshotsAsync(string volumeId, CancellationToken cancellationToken) =>
        DescribeAllAsync(volumeId, [Filter("volume-id", volumeId)], cancellationToken);

    public async Task<Snapshot?> FindSnapshotAsync(string snapshotId, CancellationToken cancellationToken)
    {
        var request = new DescribeSnapshotsRequest { SnapshotIds = [snapshotId], OwnerIds = ["self"] };
        var response = await CallAsync("DescribeSnapshots", async () =>
        {
            try
            {
                return await ec2.DescribeSnapshotsAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (AmazonEC2Exception e) when (e.ErrorCode == "InvalidSnapshot.NotFound")
            {
                return null;
            }
        }, cancellationToken).ConfigureAwait(false);

        return response?.Snapshots?.Where(s => s.SnapshotId == snapshotId).Select(SnapshotMapping.ToSnapshot).FirstOrDefault();
    }

    public async Task<Snapshot?> FindByRunIdAsync(string volumeId, string runId, CancellationToken cancellationToken)
    {
        var found = await DescribeAllAsync(
            volumeId, [Filter("volume-id", volumeId), Filter("tag:" + OwnershipTags.RunId, runId)], cancellationToken)
            .ConfigureAwait(false);
        var matches = found.Where(s => s.Tag(OwnershipTags.RunId) == runId).OrderByDescending(s => s.StartTime).ToList();
        if (matches.Count > 1)
        {
            Log.Warn("{Count} snapshots of {Volume} carry run id {RunId}: {Ids}; using the newest",
                matches.Count, volumeId, runId, string.Join(", ", matches.Select(s => s.Id)));
        }

        return matches.FirstOrDefault();
    }

    public async Task<Snapshot> CreateSnapshotAsync(NewSnapshot request, CancellationToken cancellationToken)
    {
        var response = await CallAsync(
            "CreateSnapshot",
            () => ec2.CreateSnapshotAsync(ToCreateRequest(request, dryRun: false), cancellationToken),
            cancellationToken).ConfigureAwait(false);
        return SnapshotMapping.ToSnapshot(response.Snapshot
            ?? throw new BackupException(ExitCodes.SnapshotFailed, $"EC2 answered CreateSnapshot on {request.VolumeId} without a snapshot"));
    }

    public Task<DeleteResult> DeleteSnapshotAsync(string snapshotId, CancellationToken cancellationToken) =>
        CallAsync("DeleteSnapshot", async () =>
        {
            try
            {
                await ec2.DeleteSnapshotAsync(new DeleteSnapshotRequest { SnapshotId = snapshotId }, cancellationToken)
                    .ConfigureAwait(false);
                return new DeleteResult(snapshotId, DeleteOutcome.Deleted, "deleted");
            }
            catch (AmazonEC2Exception e) when (e.ErrorCode == "InvalidSnapshot.NotFound")
            {
                return new DeleteResult(snapshotId, DeleteOutcome.AlreadyGone, e.Message);
            }
            catch (AmazonEC2Exception e) when (e.ErrorCode == "InvalidSnapshot.InUse")
            {
                return new DeleteResult(snapshotId, DeleteOutcome.InUse, e.Message);
            }
        }, cancellationToken);

    public Task<PermissionProbe> ProbeCreateSnapshotAsync(NewSnapshot request, CancellationToken cancellationToken) =>
        ProbeAsync("CreateSnapshot", async () =>
        {
            var response = await ec2.CreateSnapshotAsync(ToCreateRequest(request, dryRun: true), cancellationToken).ConfigureAwait(false);
            return response.Snapshot?.SnapshotId;
        }, cancellationToken);

    public Task<PermissionProbe> ProbeDeleteSnapshotAsync(string snapshotId, CancellationToken cancellationToken) =>
        ProbeAsync("DeleteSnapshot", async () =>
        {
            await ec2.DeleteSnapshotAsync(new DeleteSnapshotRequest { SnapshotId = snapshotId, DryRun = true }, cancellationToken)
                .ConfigureAwait(false);
            return snapshotId;
        }, cancellationToken);

    /// <summary>Owned snapshots of one volume matching the filters, every page of them.</summary>
    private async Task<IReadOnlyList<Snapshot>> DescribeAllAsync(
        string volumeId, List<Filter> filters, CancellationToken cancellationToken)
    {
        var snapshots = new List<Snapshot>();
        var seenTokens = new HashSet<string>(StringComparer.Ordinal);
        string? nextToken = null;
        do
        {
            var request = new DescribeSnapshotsRequest
            {
                OwnerIds = ["self"],
                Filters = filters,
                MaxResults = PageSize,
                NextToken = nextToken,
            };
            var page = await CallAsync(
                "DescribeSnapshots", () => ec2.DescribeSnapshotsAsync(request, cancellationToken), cancellationToken)
                .ConfigureAwait(false);

            // Belt and braces for retention: only the asked-for volume, whatever the filter did.
            snapshots.AddRange((page.Snapshots ?? []).Where(s => s.VolumeId == volumeId).Select(SnapshotMapping.ToSnapshot));
            nextToken = string.IsNullOrEmpty(page.NextToken) ? null : page.NextToken;
            if (nextToken is not null && !seenTokens.Add(nextToken))
            {
                throw new BackupException(ExitCodes.SnapshotFailed,
                    $"ec2:DescribeSnapshots returned the same NextToken twice while listing {volumeId}; stopping");
            }
        }
        while (nextToken is not null);

        return snapshots;
    }

    private async Task<PermissionProbe> ProbeAsync(
        string action, Func<Task<string?>> dryRun, CancellationToken cancellationToken)
    {
        var outcome = await CallAsync(action, async () =>
        {
            try
            {
                var created = await dryRun().ConfigureAwait(false);

                // EC2 never answers a dry run with success; if it did, something real may now exist.
                throw new BackupException(ExitCodes.SnapshotFailed,
                    $"ec2:{action} dry run was carried out instead of refused (resource: {created ?? "unknown"}); check the account by hand");
            }
            catch (AmazonEC2Exception e) when (e.ErrorCode == DryRunOperation)
            {
                return new PermissionProbe($"ec2:{action}", ProbeOutcome.Allowed, e.Message);
            }
            catch (AmazonEC2Exception e) when (e.ErrorCode == UnauthorizedOperation)
            {
                return new PermissionProbe($"ec2:{action}", ProbeOutcome.Denied, $"ec2:{action} denied: {e.Message}");
            }
        }, cancellationToken).ConfigureAwait(false);
        return outcome;
    }

    private static async Task<T> CallAsync<T>(string action, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && Ec2ErrorMapper.Map(action, e) is { } mapped)
        {
            throw mapped;
        }
    }

    private static CreateSnapshotRequest ToCreateRequest(NewSnapshot request, bool dryRun) => new()
    {
        VolumeId = request.VolumeId,
        Description = request.Description,
        DryRun = dryRun ? true : null,
        TagSpecifications = request.Tags.Count == 0
            ? null
            : [new TagSpecification { ResourceType = ResourceType.Snapshot, Tags = SnapshotMapping.ToTags(request.Tags) }],
    };

    private static Filter Filter(string name, string value) => new() { Name = name, Values = [value] };
}
