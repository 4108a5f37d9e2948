using System.Xml.Linq;

namespace OfflineBackup.Sandbox.Ec2Double;

/// <summary>
/// CreateTags: ResourceId.N (snapshots and volumes of the double), Tag.N.Key/Value, DryRun. Adds
/// or overwrites the tags; an unknown resource fails the whole call, as EC2 does.
/// </summary>
internal static class CreateTagsAction
{
    public static async Task<XElement> HandleAsync(
        Ec2Request request, SnapshotInventory snapshots, VolumeInventory volumes, string requestId)
    {
        var resources = new List<string>();
        for (var i = 1; request.Parameter($"ResourceId.{i}") is { Length: > 0 } id; i++)
        {
            resources.Add(id);
        }

        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; request.Parameter($"Tag.{i}.Key") is { } key; i++)
        {
            if (key.Length is 0 or > 128)
            {
                throw new Ec2FaultException(Ec2Fault.InvalidParameterValue($"Tag key '{key}' is invalid"));
            }

            tags[key] = request.Parameter($"Tag.{i}.Value") ?? "";
        }

        if (resources.Count == 0)
        {
            throw new Ec2FaultException(Ec2Fault.MissingParameter("ResourceId"));
        }

        using (await volumes.HoldAsync(CancellationToken.None).ConfigureAwait(false))
        {
            // Every resource is checked before any is tagged: EC2 tags all or none.
            foreach (var id in resources)
            {
                if (id.StartsWith("vol-", StringComparison.Ordinal))
                {
                    volumes.Find(id);
                }
                else if (snapshots.Get(id) is null)
                {
                    throw new Ec2FaultException(Ec2Fault.SnapshotNotFound(id));
                }
            }

            if (request.DryRun)
            {
                throw new Ec2FaultException(Ec2Fault.DryRunOperation());
            }

            foreach (var id in resources)
            {
                if (id.StartsWith("vol-", StringComparison.Ordinal))
                {
                    var volume = volumes.Find(id);
                    volume.Tags = Merge(volume.Tags, tags);
                }
                else
                {
                    snapshots.Update(id, s => s.Tags = Merge(s.Tags, tags));
                }
            }
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
