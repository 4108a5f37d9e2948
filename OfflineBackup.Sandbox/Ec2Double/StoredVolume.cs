namespace OfflineBackup.Sandbox.Ec2Double;

/// <summary>
/// One EBS volume inside the double. Mutated only while the volume inventory is held. A call that
/// starts a transition answers with its transitional state (creating, attaching, detaching); the
/// next DescribeVolumes settles it, so a client must poll, as it must on EC2.
/// </summary>
internal sealed class StoredVolume(
    string volumeId, int sizeGiB, string zone, string? snapshotId, DateTimeOffset createTime, bool hasImage)
{
    public string VolumeId { get; } = volumeId;
    public int SizeGiB { get; } = sizeGiB;
    public string Zone { get; } = zone;
    public string? SnapshotId { get; } = snapshotId;
    public DateTimeOffset CreateTime { get; } = createTime;

    /// <summary>Whether the volume has an image in the disk store (false: a record only).</summary>
    public bool HasImage { get; } = hasImage;

    public string VolumeType { get; init; } = "gp3";
    public IReadOnlyDictionary<string, string> Tags { get; set; } = new Dictionary<string, string>();

    /// <summary>creating, available, in-use.</summary>
    public string State { get; set; } = "available";

    /// <summary>While true a creating volume stays creating (a test of a volume that never becomes available).</summary>
    public bool Held { get; set; }

    public StoredAttachment? Attachment { get; set; }

    public Ec2VolumeView ToView() => new(
        VolumeId, SizeGiB, Zone, SnapshotId, State, CreateTime, VolumeType, Tags, HasImage,
        Attachment is { } a ? new Ec2VolumeAttachmentView(a.InstanceId, a.Device, a.State, a.AttachTime, a.LocalDevice) : null);
}

/// <summary>A volume's attachment: attaching, attached, detaching; <see cref="LocalDevice"/> is the loop device on this host.</summary>
internal sealed class StoredAttachment(string instanceId, string device, DateTimeOffset attachTime, string? localDevice)
{
    public string InstanceId { get; } = instanceId;
    public string Device { get; } = device;
    public DateTimeOffset AttachTime { get; } = attachTime;
    public string? LocalDevice { get; } = localDevice;
    public string State { get; set; } = "attaching";
    public bool Force { get; set; }

    /// <summary>The local device is gone already; the next describe reports the volume available.</summary>
    public bool Released { get; set; }
}

/// <summary>What the double holds for one volume, as a test reads it back.</summary>
public sealed record Ec2VolumeView(
    string VolumeId,
    int SizeGiB,
    string AvailabilityZone,
    string? SnapshotId,
    string State,
    DateTimeOffset CreateTime,
    string VolumeType,
    IReadOnlyDictionary<string, string> Tags,
    bool HasImage,
    Ec2VolumeAttachmentView? Attachment);

/// <summary>An attachment as a test reads it; <see cref="LocalDevice"/> is the /dev/loopN (or directory) on this host.</summary>
public sealed record Ec2VolumeAttachmentView(
    string InstanceId, string Device, string State, DateTimeOffset AttachTime, string? LocalDevice);
