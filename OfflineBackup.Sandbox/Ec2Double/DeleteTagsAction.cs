using System.Xml.Linq;

namespace OfflineBackup.Sandbox.Ec2Double;

/// <summary>
/// DeleteTags on snapshots: ResourceId.N, Tag.N.Key with an optional Tag.N.Value (given, the tag
/// goes only if its value matches, as EC2 does), DryRun. A key the snapshot lacks is no error;
/// an unknown snapshot fails the whole call before anything is untagged.
/// </summary>
internal static class DeleteTagsAction
{
    public static XElement Handle(Ec2Request request, SnapshotInventory snapshots, string requestId)
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

        var tags = new List<(string Key, string? Value)>();
        for (var i = 1; request.Parameter($"Tag.{i}.Key") is { } key; i++)
        {
            tags.Add((key, request.Parameter($"Tag.{i}.Value")));
        }

        // EC2 deletes every user tag when none is named; nothing here asks for that.
        if (tags.Count == 0)
        {
            throw new Ec2FaultException(Ec2Fault.MissingParameter("Tag"));
        }

        snapshots.Untag(resources, tags, apply: false);
        request.StopIfDryRun();
        snapshots.Untag(resources, tags, apply: true);
        return Ec2Xml.Response("DeleteTags", requestId, new XElement(Ec2Xml.Ns + "return", "true"));
    }
}
