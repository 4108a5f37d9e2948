using Amazon.EC2.Model;

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
                "DescribeLockedSnapshots", () => ec2.DescribeLockedSnapshotsAsync(request, cancellationToken), cancellationToken)
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
        ProbeAsync("DescribeLockedSnapshots", async () =>
        {
            await ec2.DescribeLockedSnapshotsAsync(new DescribeLockedSnapshotsRequest { DryRun = true }, cancellationToken)
                .ConfigureAwait(false);
            return null;
        }, cancellationToken);

    public Task TagSnapshotAsync(string snapshotId, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken) =>
        CallAsync("CreateTags", () => ec2.CreateTagsAsync(
            new CreateTagsRequest { Resources = [snapshotId], Tags = SnapshotMapping.ToTags(tags) }, cancellationToken),
            cancellationToken);

    // EC2 sends UTC; an Unspecified kind from the unmarshaller still means UTC.
    private static DateTimeOffset? Utc(DateTime? time) => time switch
    {
        null => null,
        { Kind: DateTimeKind.Local } local => new DateTimeOffset(local.ToUniversalTime()),
        { } other => new DateTimeOffset(DateTime.SpecifyKind(other, DateTimeKind.Utc)),
    };
}
