using System.Xml.Linq;

namespace OfflineBackup.Sandbox.Ec2Double;

/// <summary>CreateTags: ResourceId.N (snapshots only here), Tag.N.Key/Value, DryRun.</summary>
internal static class CreateTagsAction
{
    public static XElement Handle(Ec2Request request, SnapshotInventory inventory, string requestId)
    {
        var resources = request.List("ResourceId");
        if (resources.Count == 0)
        {
            throw new Ec2FaultException(Ec2Fault.MissingParameter("ResourceId"));
        }

        foreach (var id in resources.Where(r => !r.StartsWith("snap-", StringComparison.Ordinal)))
        {
            throw new Ec2FaultException(Ec2Fault.MalformedSnapshotId(id));
        }

        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; request.Parameter($"Tag.{i}.Key") is { } key; i++)
        {
            if (key.Length is 0 or > 128 || key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
            {
                throw new Ec2FaultException(Ec2Fault.InvalidParameterValue($"Tag key '{key}' is invalid"));
            }

            tags[key] = request.Parameter($"Tag.{i}.Value") ?? "";
        }

        if (tags.Count == 0)
        {
            throw new Ec2FaultException(Ec2Fault.MissingParameter("Tag"));
        }

        inventory.Tag(resources, tags, apply: !request.DryRun);
        if (request.DryRun)
        {
            throw new Ec2FaultException(Ec2Fault.DryRunOperation());
        }

        return Ec2Xml.Response("CreateTags", requestId, new XElement(Ec2Xml.Ns + "return", "true"));
    }
}
