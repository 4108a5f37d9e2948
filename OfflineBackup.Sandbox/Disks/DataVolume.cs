namespace OfflineBackup.Sandbox.Disks;

/// <summary>How the replica's data volume is made: its EBS id, size and disk mode.</summary>
public sealed record DataVolumeOptions
{
    /// <summary>The id the EC2 double knows the volume by (the config's <c>volume_id</c>).</summary>
    public string VolumeId { get; init; } = "vol-0a1b2c3d4e5f60718";

    /// <summary>The filesystem's size; sparse, so it costs only what the data takes.</summary>
    public int SizeGiB { get; init; } = 2;

    public DiskModeRequest Mode { get; init; } = DiskModeRequest.Auto;
}

/// <summary>
/// A volume of a <see cref="DiskStore"/>, attached and mounted where a server keeps its data: the
/// replica's EBS data volume. <see cref="Device"/> is /dev/loopN in loop mode (the volume's
/// directory in directory mode), reached also through <see cref="ByIdLink"/>.
/// </summary>
public sealed record DataVolume(DiskStore Store, string VolumeId, int SizeGiB, string Device, string MountPoint)
{
    public string ByIdLink => Store.ByIdLink(VolumeId);

    public string ImagePath => Store.PathOf(VolumeId);

    /// <summary>Makes the volume (an empty ext4 filesystem), attaches it and mounts it on <paramref name="mountPoint"/>.</summary>
    public static async Task<DataVolume> CreateAsync(
        DiskStore store, DataVolumeOptions options, string mountPoint, CancellationToken cancellationToken)
    {
        await store.CreateFilesystemAsync(options.VolumeId, options.SizeGiB, cancellationToken);
        var device = await store.AttachAsync(options.VolumeId, cancellationToken);
        await store.MountAsync(device, mountPoint, cancellationToken);
        return new DataVolume(store, options.VolumeId, options.SizeGiB, device, mountPoint);
    }

    /// <summary>One line for a person: where the data lives and in which mode.</summary>
    public string Describe() => Store.Mode == DiskMode.Loop
        ? $"{VolumeId}: ext4 in {ImagePath}, attached as {Device} ({Path.GetFileName(ByIdLink)}), mounted on {MountPoint}"
        : $"{VolumeId}: the directory {ImagePath}, linked from {MountPoint}";
}
