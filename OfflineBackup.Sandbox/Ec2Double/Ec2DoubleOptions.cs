namespace OfflineBackup.Sandbox.Ec2Double;

/// <summary>How a double starts. Everything here can also be changed later on the running double.</summary>
public sealed record Ec2DoubleOptions
{
    public const string DefaultAccountId = "123456789012";

    /// <summary>The account the caller is: what <c>Owner.N=self</c> means.</summary>
    public string AccountId { get; init; } = DefaultAccountId;

    /// <summary>Clock for start times and duration-based completion.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>How snapshots made by CreateSnapshot leave <c>pending</c>.</summary>
    public SnapshotCompletion Completion { get; init; } = SnapshotCompletion.Default;

    /// <summary>
    /// Where volumes with images live (the replica's data volume, volumes made from snapshots):
    /// CreateSnapshot copies such a volume's image, CreateVolume copies a snapshot's, AttachVolume
    /// gives a device. Null: volumes and snapshots are records only, as before.
    /// </summary>
    public Disks.DiskStore? Disks { get; init; }
}
