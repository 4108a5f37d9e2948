using System.Security.Cryptography;

namespace OfflineBackup.Sandbox.Ec2Double;

/// <summary>The double's snapshots and volumes. One lock guards all of it: requests and test code race.</summary>
internal sealed partial class SnapshotInventory(string accountId, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, StoredSnapshot> _snapshots = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _volumes = new(StringComparer.Ordinal);

    public string AccountId { get; } = accountId;

    public void AddVolume(string volumeId, int sizeGiB)
    {
        lock (_gate)
        {
            _volumes[volumeId] = sizeGiB;
        }
    }

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

    public Ec2SnapshotView Create(
        string volumeId, string description, IReadOnlyDictionary<string, string> tags, SnapshotCompletion completion)
    {
        lock (_gate)
        {
            if (!_volumes.TryGetValue(volumeId, out var sizeGiB))
            {
                throw new Ec2FaultException(Ec2Fault.VolumeNotFound(volumeId));
            }

            var stored = new StoredSnapshot(
                NewSnapshotId(), volumeId, time.GetUtcNow(), sizeGiB, description, tags, AccountId)
            {
                Completion = completion is SnapshotCompletion.ManualCompletion ? null : completion,
            };
            _snapshots.Add(stored.SnapshotId, stored);
            return stored.ToView();
        }
    }

    public void CheckVolumeExists(string volumeId)
    {
        lock (_gate)
        {
            if (!_volumes.ContainsKey(volumeId))
            {
                throw new Ec2FaultException(Ec2Fault.VolumeNotFound(volumeId));
            }
        }
    }

    /// <summary>Throws the fault DeleteSnapshot would answer with; deletes only when <paramref name="delete"/>.</summary>
    public void Delete(string snapshotId, bool delete)
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
            }
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

    private string NewSnapshotId()
    {
        while (true)
        {
            var id = "snap-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(9))[..17];
            if (!_snapshots.ContainsKey(id))
            {
                return id;
            }
        }
    }
}
