using OfflineBackup.Sandbox.Disks;

namespace OfflineBackup.Sandbox.Ec2Double;

/// <summary>The double's snapshots and volumes. One lock guards all of it: requests and test code race.</summary>
internal sealed partial class SnapshotInventory(string accountId, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, StoredSnapshot> _snapshots = new(StringComparer.Ordinal);
    private readonly HashSet<string> _reserved = new(StringComparer.Ordinal);

    public string AccountId { get; } = accountId;

    public void Seed(IEnumerable<SnapshotSeed> seeds)
    {
        var batch = seeds.ToList();
        lock (_gate)
        {
            // All or nothing: a duplicate id must not leave half a batch behind.
            var ids = new HashSet<string>(StringComparer.Ordinal);
            foreach (var seed in batch.Where(s => _snapshots.ContainsKey(s.SnapshotId) || !ids.Add(s.SnapshotId)))
            {
                throw new InvalidOperationException($"snapshot {seed.SnapshotId} is seeded twice");
            }

            foreach (var seed in batch)
            {
                var stored = new StoredSnapshot(
                    seed.SnapshotId, seed.VolumeId, seed.StartTime, seed.VolumeSizeGiB, seed.Description,
                    new Dictionary<string, string>(seed.Tags, StringComparer.Ordinal), seed.OwnerId ?? AccountId)
                {
                    State = seed.State,
                    Progress = seed.Progress ?? (seed.State == "completed" ? "100%" : "0%"),
                    Completion = seed.State == "pending" ? seed.Completion : null,
                };
                _snapshots.Add(seed.SnapshotId, stored);
            }
        }
    }

    /// <summary>An id no snapshot has or will be given, for a snapshot whose image is being copied.</summary>
    public string ReserveSnapshotId()
    {
        lock (_gate)
        {
            var id = NewSnapshotId();
            _reserved.Add(id);
            return id;
        }
    }

    /// <summary>Adds a snapshot made of the volume as it was at <paramref name="startTime"/>, under a reserved id.</summary>
    public Ec2SnapshotView Create(
        string snapshotId, string volumeId, int sizeGiB, DateTimeOffset startTime, string description,
        IReadOnlyDictionary<string, string> tags, SnapshotCompletion completion, ImageCopy? image)
    {
        lock (_gate)
        {
            _reserved.Remove(snapshotId);
            var stored = new StoredSnapshot(snapshotId, volumeId, startTime, sizeGiB, description, tags, AccountId)
            {
                Completion = completion is SnapshotCompletion.ManualCompletion ? null : completion,
                Image = image,
            };
            _snapshots.Add(stored.SnapshotId, stored);
            return stored.ToView();
        }
    }

    public void Unreserve(string snapshotId)
    {
        lock (_gate)
        {
            _reserved.Remove(snapshotId);
        }
    }

    /// <summary>The snapshot's image copy, null for a snapshot without one (seeded, or of a volume without an image).</summary>
    public ImageCopy? ImageOf(string snapshotId)
    {
        lock (_gate)
        {
            return _snapshots.GetValueOrDefault(snapshotId)?.Image;
        }
    }

    /// <summary>
    /// Throws the fault DeleteSnapshot would answer with; deletes only when <paramref name="delete"/>,
    /// and returns the deleted snapshot's image for the caller to remove.
    /// </summary>
    public ImageCopy? Delete(string snapshotId, bool delete)
    {
        lock (_gate)
        {
            var stored = Find(snapshotId);
            if (stored.InUseByImageId is { } imageId)
            {
                throw new Ec2FaultException(Ec2Fault.SnapshotInUse(snapshotId, imageId));
            }

            if (delete)
            {
                _snapshots.Remove(snapshotId);
                return stored.Image;
            }

            return null;
        }
    }

    /// <summary>One DescribeSnapshots call: advances describe-counted completion, then reads everything, ordered by id.</summary>
    public IReadOnlyList<Ec2SnapshotView> Describe()
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            var views = new List<Ec2SnapshotView>(_snapshots.Count);
            foreach (var stored in _snapshots.Values)
            {
                if (stored.State == "pending")
                {
                    stored.DescribesSinceCreation++;
                }

                stored.Advance(now);
                views.Add(stored.ToView());
            }

            // Ordered by id, not by age: EC2 promises no order, and random ids keep a client from
            // coming to rely on chronological pages.
            views.Sort((a, b) => string.CompareOrdinal(a.SnapshotId, b.SnapshotId));
            return views;
        }
    }

    public Ec2SnapshotView? Get(string snapshotId)
    {
        lock (_gate)
        {
            if (!_snapshots.TryGetValue(snapshotId, out var stored))
            {
                return null;
            }

            stored.Advance(time.GetUtcNow());
            return stored.ToView();
        }
    }

    public IReadOnlyList<Ec2SnapshotView> All()
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            return _snapshots.Values.Select(s =>
            {
                s.Advance(now);
                return s.ToView();
            }).ToList();
        }
    }

    public void Update(string snapshotId, Action<StoredSnapshot> change)
    {
        lock (_gate)
        {
            change(_snapshots.TryGetValue(snapshotId, out var stored)
                ? stored
                : throw new KeyNotFoundException($"snapshot {snapshotId} is not in the double"));
        }
    }

    private StoredSnapshot Find(string snapshotId) =>
        _snapshots.TryGetValue(snapshotId, out var stored)
            ? stored
            : throw new Ec2FaultException(Ec2Fault.SnapshotNotFound(snapshotId));

    private string NewSnapshotId() => ResourceIds.New("snap-", id => _snapshots.ContainsKey(id) || _reserved.Contains(id));
}
