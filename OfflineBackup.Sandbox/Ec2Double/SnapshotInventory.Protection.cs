namespace OfflineBackup.Sandbox.Ec2Double;

/// <summary>Snapshot Locks and tags on existing snapshots (CreateTags), under the same lock as the rest.</summary>
internal sealed partial class SnapshotInventory
{
    /// <summary>The account's locked snapshots, ordered by id, with their lock as it stands now.</summary>
    public IReadOnlyList<(string SnapshotId, string OwnerId, Ec2SnapshotLock Lock)> Locked()
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            return _snapshots.Values
                .Where(s => s.Lock is not null && s.OwnerId == AccountId)
                .Select(s => (s.SnapshotId, s.OwnerId, Current(s.Lock!, now)))
                .OrderBy(l => l.SnapshotId, StringComparer.Ordinal)
                .ToList();
        }
    }

    /// <summary>Adds or overwrites tags on every named snapshot, or on none if one is unknown (EC2 checks all ids first).</summary>
    public void Tag(IReadOnlyList<string> snapshotIds, IReadOnlyDictionary<string, string> tags, bool apply)
    {
        lock (_gate)
        {
            var targets = snapshotIds.Select(Find).ToList();
            if (!apply)
            {
                return;
            }

            foreach (var stored in targets)
            {
                var merged = new Dictionary<string, string>(stored.Tags, StringComparer.Ordinal);
                foreach (var (key, value) in tags)
                {
                    merged[key] = value;
                }

                stored.Tags = merged;
            }
        }
    }

    /// <summary>DeleteTags: every snapshot found first (all or none), then each named tag removed, only if its value matches when one is given.</summary>
    public void Untag(IReadOnlyList<string> snapshotIds, IReadOnlyList<(string Key, string? Value)> tags, bool apply)
    {
        lock (_gate)
        {
            var targets = snapshotIds.Select(Find).ToList();
            if (!apply)
            {
                return;
            }

            foreach (var stored in targets)
            {
                stored.Tags = stored.Tags
                    .Where(t => !tags.Any(d => d.Key == t.Key && (d.Value is null || d.Value == t.Value)))
                    .ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
            }
        }
    }

    // A lock past its end reads "expired", as EC2 reports it, without anyone having to move it.
    private static Ec2SnapshotLock Current(Ec2SnapshotLock snapshotLock, DateTimeOffset now) =>
        snapshotLock.ExpiresOn <= now ? snapshotLock with { State = "expired" } : snapshotLock;
}
