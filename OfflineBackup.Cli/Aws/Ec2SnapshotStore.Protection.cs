using Amazon.EC2.Model;
using OfflineBackup.Errors;

namespace OfflineBackup.Aws;

/// <summary>Snapshot Locks and the in-use mark: what keeps retention from trying a delete EC2 would refuse.</summary>
public sealed partial class Ec2SnapshotStore
{
    private const int LockPageSize = 1000;

    public async Task<IReadOnlyDictionary<string, SnapshotLock>> ListLockedSnapshotsAsync(CancellationToken cancellationToken)
    {
        var locks = new Dictionary<string, SnapshotLock>(StringComparer.Ordinal);
        var seenTokens = new HashSet<string>(StringComparer.Ordinal);
        string? nextToken = null;
        do
        {
            var request = new DescribeLockedSnapshotsRequest { MaxResults = LockPageSize, NextToken = nextToken };
            var page = await CallAsync(
                "DescribeLockedSnapshots", token => Client.DescribeLockedSnapshotsAsync(request, token), cancellationToken)
                .ConfigureAwait(false);
            foreach (var info in page.Snapshots ?? [])
            {
                if (!string.IsNullOrEmpty(info.SnapshotId))
                {
                    locks[info.SnapshotId] = new SnapshotLock(info.LockState?.Value ?? "unknown", Utc(info.LockExpiresOn));
                }
            }

            nextToken = string.IsNullOrEmpty(page.NextToken) ? null : page.NextToken;
            if (nextToken is not null && !seenTokens.Add(nextToken))
            {
                throw new Errors.BackupException(Errors.ExitCodes.SnapshotFailed,
                    "ec2:DescribeLockedSnapshots returned the same NextToken twice; stopping");
            }
        }
        while (nextToken is not null);

        return locks;
    }

    public Task<PermissionProbe> ProbeDescribeLockedSnapshotsAsync(CancellationToken cancellationToken) =>
        ProbeAsync("DescribeLockedSnapshots", async token =>
        {
            await Client.DescribeLockedSnapshotsAsync(new DescribeLockedSnapshotsRequest { DryRun = true }, token)
                .ConfigureAwait(false);
            return null;
        }, cancellationToken);

    public Task TagSnapshotAsync(string snapshotId, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken) =>
        CallAsync("CreateTags", token => Client.CreateTagsAsync(
            new CreateTagsRequest { Resources = [snapshotId], Tags = SnapshotMapping.ToTags(tags) }, token),
            cancellationToken);

    public Task UntagSnapshotAsync(Snapshot snapshot, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.Tag(ToolTags.CreatedBy) != ToolTags.CreatedByValue)
        {
            throw new BackupException(ExitCodes.SnapshotFailed,
                $"refusing to remove tags from {snapshot.Id}: it does not carry {ToolTags.CreatedBy}={ToolTags.CreatedByValue}");
        }

        // Keys only, no values: DeleteTags removes each whatever its value.
        return CallAsync("DeleteTags", token => Client.DeleteTagsAsync(
            new DeleteTagsRequest { Resources = [snapshot.Id], Tags = [.. keys.Select(k => new Tag { Key = k })] }, token),
            cancellationToken);
    }

    public Task<PermissionProbe> ProbeTagSnapshotAsync(string snapshotId, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken) =>
        ProbeAsync("CreateTags", async token =>
        {
            await Client.CreateTagsAsync(
                new CreateTagsRequest { Resources = [snapshotId], Tags = SnapshotMapping.ToTags(tags), DryRun = true }, token).ConfigureAwait(false);
            return snapshotId;
        }, cancellationToken);

    public Task<PermissionProbe> ProbeUntagSnapshotAsync(string snapshotId, IReadOnlyList<string> keys, CancellationToken cancellationToken) =>
        ProbeAsync("DeleteTags", async token =>
        {
            await Client.DeleteTagsAsync(
                new DeleteTagsRequest { Resources = [snapshotId], Tags = [.. keys.Select(k => new Tag { Key = k })], DryRun = true }, token).ConfigureAwait(false);
            return snapshotId;
        }, cancellationToken);

    // EC2 sends UTC; an Unspecified kind from the unmarshaller still means UTC.
    private static DateTimeOffset? Utc(DateTime? time) => time switch
    {
        null => null,
        { Kind: DateTimeKind.Local } local => new DateTimeOffset(local.ToUniversalTime()),
        { } other => new DateTimeOffset(DateTime.SpecifyKind(other, DateTimeKind.Utc)),
    };
}
