using System.Xml.Linq;

namespace OfflineBackup.Sandbox.Ec2Double;

/// <summary>
/// CreateTags: ResourceId.N (snapshots of the request's region and volumes of the double),
/// Tag.N.Key/Value, DryRun. Adds or overwrites the tags; an unknown resource fails the whole
/// call before anything is tagged, as EC2 does.
/// </summary>
internal static class CreateTagsAction
{
    public static async Task<XElement> HandleAsync(
        Ec2Request request, SnapshotInventory snapshots, VolumeInventory volumes, string requestId)
    {
        var resources = request.List("ResourceId");
        if (resources.Count == 0)
        {
            throw new Ec2FaultException(Ec2Fault.MissingParameter("ResourceId"));
        }

        foreach (var id in resources.Where(r => !r.StartsWith("snap-", StringComparison.Ordinal) && !r.StartsWith("vol-", StringComparison.Ordinal)))
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

        var snapshotIds = resources.Where(r => r.StartsWith("snap-", StringComparison.Ordinal)).ToList();
        var volumeIds = resources.Where(r => r.StartsWith("vol-", StringComparison.Ordinal)).ToList();
        using (await volumes.HoldAsync(CancellationToken.None).ConfigureAwait(false))
        {
            // Every resource is checked before any is tagged: EC2 tags all or none.
            var found = volumeIds.Select(volumes.Find).ToList();
            snapshots.Tag(snapshotIds, tags, apply: false);
            request.StopIfDryRun();

            foreach (var volume in found)
            {
                volume.Tags = Merge(volume.Tags, tags);
            }

            snapshots.Tag(snapshotIds, tags, apply: true);
        }

        return Ec2Xml.Response("CreateTags", requestId, new XElement(Ec2Xml.Ns + "return", "true"));
    }

    private static Dictionary<string, string> Merge(IReadOnlyDictionary<string, string> old, Dictionary<string, string> added)
    {
        var merged = new Dictionary<string, string>(old, StringComparer.Ordinal);
        foreach (var (key, value) in added)
        {
            merged[key] = value;
        }

        return merged;
    }
}
