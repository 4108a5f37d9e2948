using OfflineBackup.Sandbox.Disks;

namespace OfflineBackup.Sandbox.Ec2Double;

/// <summary>
/// The double's volumes and instances, and the disk store behind the volumes that have images.
/// One asynchronous gate guards all of it, held across the disk work of a call (a copy, losetup),
/// so no request sees a volume half made or half attached.
/// </summary>
internal sealed class VolumeInventory(TimeProvider time, DiskStore? disks)
{
    public const string DefaultZone = "us-east-1a";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, StoredVolume> _volumes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _instances = new(StringComparer.Ordinal);

    public DiskStore? Disks { get; } = disks;

    public TimeProvider Time { get; } = time;

    /// <summary>While true, volumes created from now on stay <c>creating</c> until released.</summary>
    public bool HoldNewVolumes { get; set; }

    /// <summary>While true, attachments made from now on never get a device on this host (a device that never appears).</summary>
    public bool WithholdDevices { get; set; }

    /// <summary>Takes the gate; dispose to release. Everything below expects it held.</summary>
    public async Task<IDisposable> HoldAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Release(_gate);
    }

    /// <summary>For test code on the double's surface, which is synchronous.</summary>
    public IDisposable Hold()
    {
        _gate.Wait();
        return new Release(_gate);
    }

    public StoredVolume Find(string volumeId)
    {
        if (!volumeId.StartsWith("vol-", StringComparison.Ordinal))
        {
            throw new Ec2FaultException(Ec2Fault.MalformedVolumeId(volumeId));
        }

        return _volumes.TryGetValue(volumeId, out var volume)
            ? volume
            : throw new Ec2FaultException(Ec2Fault.VolumeNotFound(volumeId));
    }

    public StoredVolume? Get(string volumeId) => _volumes.GetValueOrDefault(volumeId);

    public IReadOnlyList<StoredVolume> All() =>
        _volumes.Values.OrderBy(v => v.VolumeId, StringComparer.Ordinal).ToList();

    public void Add(StoredVolume volume)
    {
        if (!_volumes.TryAdd(volume.VolumeId, volume))
        {
            throw new InvalidOperationException($"volume {volume.VolumeId} is in the double already");
        }
    }

    public void Remove(string volumeId) => _volumes.Remove(volumeId);

    public void AddInstance(string instanceId, string zone) => _instances[instanceId] = zone;

    public string InstanceZone(string instanceId) =>
        _instances.TryGetValue(instanceId, out var zone)
            ? zone
            : throw new Ec2FaultException(Ec2Fault.InstanceNotFound(instanceId));

    public string NewVolumeId() => ResourceIds.New("vol-", _volumes.ContainsKey);

    /// <summary>
    /// What a DescribeVolumes call moves on: creating becomes available, attaching attached, and a
    /// detaching volume is let go once its device is no longer mounted (or at once when forced).
    /// </summary>
    public async Task SettleAsync(StoredVolume volume, CancellationToken cancellationToken)
    {
        if (volume is { State: "creating", Held: false })
        {
            volume.State = "available";
        }

        switch (volume.Attachment)
        {
            case { State: "attaching" } attaching:
                attaching.State = "attached";
                break;
            case { State: "detaching" } detaching:
                if (detaching.Released || detaching.LocalDevice is null || Disks is null
                    || await Disks.TryDetachAsync(volume.VolumeId, detaching.Force, cancellationToken).ConfigureAwait(false))
                {
                    volume.Attachment = null;
                    volume.State = "available";
                }

                break;
        }
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
