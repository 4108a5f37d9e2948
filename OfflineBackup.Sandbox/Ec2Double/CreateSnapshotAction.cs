using System.Xml.Linq;

namespace OfflineBackup.Sandbox.Ec2Double;

/// <summary>
/// CreateSnapshot: VolumeId, Description, TagSpecification.N (snapshot tags only), DryRun. A volume
/// with an image is copied at once, as the call arrives: the point in time EBS promises.
/// </summary>
internal static class CreateSnapshotAction
{
    private const int MaxDescriptionLength = 255;
    private const int MaxTags = 50;

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

        var tags = ParseTags(request);
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

    internal static Dictionary<string, string> ParseTags(Ec2Request request)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; request.Parameter($"TagSpecification.{i}.ResourceType") is { } resourceType; i++)
        {
            if (resourceType != "snapshot")
            {
                throw new Ec2FaultException(Ec2Fault.InvalidParameterValue(
                    $"'{resourceType}' is not a valid taggable resource type for this operation."));
            }

            for (var j = 1; request.Parameter($"TagSpecification.{i}.Tag.{j}.Key") is { } key; j++)
            {
                if (key.Length is 0 or > 128 || key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
                {
                    throw new Ec2FaultException(Ec2Fault.InvalidParameterValue($"Tag key '{key}' is invalid"));
                }

                var value = request.Parameter($"TagSpecification.{i}.Tag.{j}.Value") ?? "";
                if (value.Length > 256 || !tags.TryAdd(key, value))
                {
                    throw new Ec2FaultException(Ec2Fault.InvalidParameterValue($"Tag '{key}' is invalid or given twice"));
                }
            }
        }

        if (tags.Count > MaxTags)
        {
            throw new Ec2FaultException(new Ec2Fault(400, "TagLimitExceeded",
                $"The maximum number of tags ({MaxTags}) has been exceeded."));
        }

        return tags;
    }
}
