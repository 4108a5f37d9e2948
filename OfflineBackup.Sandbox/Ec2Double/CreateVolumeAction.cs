using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace OfflineBackup.Sandbox.Ec2Double;

/// <summary>
/// CreateVolume: AvailabilityZone, SnapshotId and/or Size, VolumeType, TagSpecification.N (volume
/// tags), DryRun. From a snapshot with an image, the new volume's image is a copy of it; without
/// a snapshot, a blank sparse image, as EBS makes an unformatted volume. Answers <c>creating</c>.
/// </summary>
internal static partial class CreateVolumeAction
{
    private const int MaxSizeGiB = 16384;

    public static async Task<XElement> HandleAsync(
        Ec2Request request, SnapshotInventory snapshots, VolumeInventory volumes, string requestId)
    {
        var zone = request.Required("AvailabilityZone");
        if (!Zone().IsMatch(zone))
        {
            throw new Ec2FaultException(Ec2Fault.InvalidParameterValue($"Invalid availability zone: [{zone}]"));
        }

        var snapshotId = request.Parameter("SnapshotId") is { Length: > 0 } s ? s : null;
        var size = ParseSize(request.Parameter("Size"));
        var tags = TagSpecification.Parse(request, "volume");
        Ec2SnapshotView? snapshot = null;
        if (snapshotId is not null)
        {
            if (!snapshotId.StartsWith("snap-", StringComparison.Ordinal))
            {
                throw new Ec2FaultException(Ec2Fault.MalformedSnapshotId(snapshotId));
            }

            snapshot = snapshots.Get(snapshotId) ?? throw new Ec2FaultException(Ec2Fault.SnapshotNotFound(snapshotId));
            if (snapshot.State != "completed")
            {
                throw new Ec2FaultException(Ec2Fault.IncorrectState($"Snapshot is in invalid state - {snapshot.State}"));
            }

            if (size is { } asked && asked < snapshot.VolumeSizeGiB)
            {
                throw new Ec2FaultException(Ec2Fault.InvalidParameterValue(
                    $"Volume of {asked}GiB is too small; minimum is {snapshot.VolumeSizeGiB}GiB"));
            }
        }
        else if (size is null)
        {
            throw new Ec2FaultException(Ec2Fault.MissingParameter("size"));
        }

        request.StopIfDryRun();

        using (await volumes.HoldAsync(CancellationToken.None).ConfigureAwait(false))
        {
            var volumeId = volumes.NewVolumeId();
            var image = snapshotId is null ? null : snapshots.ImageOf(snapshotId);
            var hasImage = false;
            if (volumes.Disks is { } disks && (snapshotId is null || image is not null))
            {
                // Not cancelled with the request: a copy cut short would leave half an image.
                if (image is not null)
                {
                    await disks.CopyAsync(image.To, volumeId, CancellationToken.None).ConfigureAwait(false);
                }
                else
                {
                    await disks.CreateBlankAsync(volumeId, size!.Value, CancellationToken.None).ConfigureAwait(false);
                }

                hasImage = true;
            }

            var volume = new StoredVolume(
                volumeId, size ?? snapshot!.VolumeSizeGiB, zone, snapshotId, volumes.Time.GetUtcNow(), hasImage)
            {
                State = "creating",
                Held = volumes.HoldNewVolumes,
                VolumeType = request.Parameter("VolumeType") ?? "gp3",
                Tags = tags,
            };
            volumes.Add(volume);
            return Ec2Xml.Response("CreateVolume", requestId, Ec2VolumeXml.VolumeFields(volume.ToView()));
        }
    }

    private static int? ParseSize(string? raw)
    {
        if (raw is null)
        {
            return null;
        }

        if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var size) || size is < 1 or > MaxSizeGiB)
        {
            throw new Ec2FaultException(Ec2Fault.InvalidParameterValue($"Invalid value '{raw}' for size"));
        }

        return size;
    }

    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9][a-z]$")]
    private static partial Regex Zone();
}
