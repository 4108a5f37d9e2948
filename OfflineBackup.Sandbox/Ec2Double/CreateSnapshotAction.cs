using System.Xml.Linq;

namespace OfflineBackup.Sandbox.Ec2Double;

/// <summary>CreateSnapshot: VolumeId, Description, TagSpecification.N (snapshot tags only), DryRun.</summary>
internal static class CreateSnapshotAction
{
    private const int MaxDescriptionLength = 255;
    private const int MaxTags = 50;

    public static XElement Handle(Ec2Request request, SnapshotInventory inventory, SnapshotCompletion completion, string requestId)
    {
        var volumeId = request.Parameter("VolumeId") is { Length: > 0 } v
            ? v
            : throw new Ec2FaultException(Ec2Fault.MissingParameter("VolumeId"));
        var description = request.Parameter("Description") ?? "";
        if (description.Length > MaxDescriptionLength)
        {
            throw new Ec2FaultException(Ec2Fault.InvalidParameterValue(
                $"Value for parameter description is invalid. Length exceeds maximum of {MaxDescriptionLength} characters."));
        }

        var tags = ParseTags(request);
        inventory.CheckVolumeExists(volumeId);
        if (request.DryRun)
        {
            throw new Ec2FaultException(Ec2Fault.DryRunOperation());
        }

        var snapshot = inventory.Create(volumeId, description, tags, completion);
        return Ec2Xml.Response("CreateSnapshot", requestId, Ec2Xml.SnapshotFields(snapshot));
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
