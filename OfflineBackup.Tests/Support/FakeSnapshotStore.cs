using OfflineBackup.Aws;

namespace OfflineBackup.Tests.Support;

/// <summary>A hand-written in-memory snapshot store for pipeline unit tests (the adapter itself is tested against the EC2 double).</summary>
internal sealed class FakeSnapshotStore : ISnapshotStore
{
    public List<Snapshot> Snapshots { get; } = [];

    public HashSet<string> DeniedActions { get; } = [];

    public int ListCalls { get; private set; }

    public List<NewSnapshot> Created { get; } = [];

    public List<string> Deleted { get; } = [];

    public Task<IReadOnlyList<Snapshot>> ListVolumeSnapshotsAsync(string volumeId, CancellationToken cancellationToken)
    {
        ListCalls++;
        return Task.FromResult<IReadOnlyList<Snapshot>>(Snapshots.Where(s => s.VolumeId == volumeId).ToList());
    }

    public Task<Snapshot?> FindSnapshotAsync(string snapshotId, CancellationToken cancellationToken) =>
        Task.FromResult(Snapshots.FirstOrDefault(s => s.Id == snapshotId));

    public Task<Snapshot?> FindByRunIdAsync(string volumeId, string runId, CancellationToken cancellationToken) =>
        Task.FromResult(Snapshots.FirstOrDefault(s => s.VolumeId == volumeId && s.Tag(OwnershipTags.RunId) == runId));

    public Task<Snapshot> CreateSnapshotAsync(NewSnapshot request, CancellationToken cancellationToken)
    {
        Created.Add(request);
        var snapshot = new Snapshot($"snap-{Created.Count:x17}", request.VolumeId, SnapshotState.Pending, "0%", DateTimeOffset.UtcNow, 100, request.Description, request.Tags);
        Snapshots.Add(snapshot);
        return Task.FromResult(snapshot);
    }

    public Task<DeleteResult> DeleteSnapshotAsync(string snapshotId, CancellationToken cancellationToken)
    {
        Deleted.Add(snapshotId);
        Snapshots.RemoveAll(s => s.Id == snapshotId);
        return Task.FromResult(new DeleteResult(snapshotId, DeleteOutcome.Deleted, "deleted"));
    }

    public Task<PermissionProbe> ProbeCreateSnapshotAsync(NewSnapshot request, CancellationToken cancellationToken) =>
        Task.FromResult(Probe("ec2:CreateSnapshot"));

    public Task<PermissionProbe> ProbeDeleteSnapshotAsync(string snapshotId, CancellationToken cancellationToken) =>
        Task.FromResult(Probe("ec2:DeleteSnapshot"));

    private PermissionProbe Probe(string action) => DeniedActions.Contains(action)
        ? new PermissionProbe(action, ProbeOutcome.Denied, "UnauthorizedOperation")
        : new PermissionProbe(action, ProbeOutcome.Allowed, "DryRunOperation");
}
