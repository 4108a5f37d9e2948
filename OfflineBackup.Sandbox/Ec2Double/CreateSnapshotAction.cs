using System.Xml.Linq;

namespace OfflineBackup.Sandbox.Ec2Double;

/// <summary>
/// CreateSnapshot: VolumeId, Description, TagSpecification.N (snapshot tags only), DryRun. A volume
/// with an image is copied at once, as the call arrives: the point in time EBS promises.
/// </summary>
internal static class CreateSnapshotAction
{
    private const int MaxDescriptionLength = 255;

    public static async Task<XElement> HandleAsync(
        Ec2Request request, SnapshotInventory inventory, VolumeInventory volumes, SnapshotCompletion completion, string requestId)
    {
        var volumeId = request.Required("VolumeId");
        var description = request.Parameter("Description") ?? "";
        if (description.Length > MaxDescriptionLength)
        {
            throw new Ec2FaultException(Ec2Fault.InvalidParameterValue(
                $"Value for parameter description is invalid. Length exceeds maximum of {MaxDescriptionLength} characters."));
        }

        var tags = TagSpecification.Parse(request, "snapshot");
        // Not cancelled with the request: a copy is quick, and one cut short would leave half an image.
        using (await volumes.HoldAsync(CancellationToken.None).ConfigureAwait(false))
        {
            var volume = volumes.Get(volumeId) ?? throw new Ec2FaultException(Ec2Fault.VolumeNotFound(volumeId));
            request.StopIfDryRun();

            var startTime = volumes.Time.GetUtcNow();
            var snapshotId = inventory.ReserveSnapshotId();
            try
            {
                var image = volume.HasImage && volumes.Disks is { } disks
                    ? await disks.CopyAsync(volumeId, snapshotId, CancellationToken.None).ConfigureAwait(false)
                    : null;
                var snapshot = inventory.Create(snapshotId, volumeId, volume.SizeGiB, startTime, description, tags, completion, image);
                return Ec2Xml.Response("CreateSnapshot", requestId, Ec2Xml.SnapshotFields(snapshot));
            }
            finally
            {
                inventory.Unreserve(snapshotId);
            }
        }
    }
}
