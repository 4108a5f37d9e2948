using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace OfflineBackup.Sandbox.Ec2Double;

/// <summary>
/// DescribeVolumes: VolumeId.N, Filter.N (volume-id, status, availability-zone, snapshot-id,
/// attachment.instance-id, attachment.status, attachment.device, tag:KEY, tag-key; * and ?
/// wildcards), MaxResults 5..500 with NextToken. Each call first settles the transitions the
/// earlier calls started (see <see cref="VolumeInventory.SettleAsync"/>).
/// </summary>
internal static class DescribeVolumesAction
{
    private static readonly PageToken Tokens = new("ec2double-volumes:");

    public static async Task<XElement> HandleAsync(Ec2Request request, VolumeInventory volumes, string requestId)
    {
        var ids = request.List("VolumeId");
        foreach (var id in ids.Where(id => !id.StartsWith("vol-", StringComparison.Ordinal)))
        {
            throw new Ec2FaultException(Ec2Fault.MalformedVolumeId(id));
        }

        var filters = ParseFilters(request);
        var pageSize = ParseMaxResults(request.Parameter("MaxResults"));
        if (pageSize is not null && ids.Count > 0)
        {
            throw new Ec2FaultException(Ec2Fault.InvalidParameterCombination(
                "The parameter volumeSet cannot be used with the parameter maxResults"));
        }

        var after = Tokens.Read(request.Parameter("NextToken"));
        request.StopIfDryRun();

        List<Ec2VolumeView> all;
        using (await volumes.HoldAsync(CancellationToken.None).ConfigureAwait(false))
        {
            foreach (var volume in volumes.All())
            {
                await volumes.SettleAsync(volume, CancellationToken.None).ConfigureAwait(false);
            }

            all = volumes.All().Select(v => v.ToView()).ToList();
        }

        var missing = ids.Where(id => all.All(v => v.VolumeId != id)).ToList();
        if (missing.Count > 0)
        {
            throw new Ec2FaultException(Ec2Fault.VolumeNotFound(string.Join(", ", missing)));
        }

        var matches = all
            .Where(v => ids.Count == 0 || ids.Contains(v.VolumeId))
            .Where(v => filters.All(f => f(v)))
            .Where(v => after is null || string.CompareOrdinal(v.VolumeId, after) > 0)
            .ToList();
        var page = matches.Take(pageSize ?? matches.Count).ToList();
        var next = page.Count < matches.Count
            ? Tokens.Issue(page[^1].VolumeId)
            : null;
        return Ec2Xml.Response("DescribeVolumes", requestId,
            new XElement(Ec2Xml.Ns + "volumeSet", page.Select(v => new XElement(Ec2Xml.Ns + "item", Ec2VolumeXml.VolumeFields(v)))),
            next is null ? null : new XElement(Ec2Xml.Ns + "nextToken", next));
    }

    private static List<Func<Ec2VolumeView, bool>> ParseFilters(Ec2Request request)
    {
        var filters = new List<Func<Ec2VolumeView, bool>>();
        for (var i = 1; request.Parameter($"Filter.{i}.Name") is { } name; i++)
        {
            var patterns = request.List($"Filter.{i}.Value").Select(Wildcard).ToList();
            if (patterns.Count == 0)
            {
                throw new Ec2FaultException(Ec2Fault.InvalidParameterValue($"The filter '{name}' requires at least one value"));
            }

            var field = FieldOf(name);
            filters.Add(v => field(v).Any(value => value is not null && patterns.Any(p => p.IsMatch(value))));
        }

        return filters;
    }

    private static Func<Ec2VolumeView, IEnumerable<string?>> FieldOf(string name)
    {
        if (name.StartsWith("tag:", StringComparison.Ordinal))
        {
            var key = name["tag:".Length..];
            return v => v.Tags.TryGetValue(key, out var value) ? [value] : [];
        }

        return name switch
        {
            "volume-id" => v => [v.VolumeId],
            "status" => v => [v.State],
            "availability-zone" => v => [v.AvailabilityZone],
            "snapshot-id" => v => [v.SnapshotId],
            "attachment.instance-id" => v => [v.Attachment?.InstanceId],
            "attachment.status" => v => [v.Attachment?.State],
            "attachment.device" => v => [v.Attachment?.Device],
            "tag-key" => v => v.Tags.Keys,
            _ => throw new Ec2FaultException(Ec2Fault.InvalidParameterValue($"The filter '{name}' is invalid")),
        };
    }

    private static Regex Wildcard(string value) =>
        new("^" + Regex.Escape(value).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$",
            RegexOptions.Singleline | RegexOptions.CultureInvariant);

    private static int? ParseMaxResults(string? raw)
    {
        if (raw is null)
        {
            return null;
        }

        if (!int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < 5)
        {
            throw new Ec2FaultException(Ec2Fault.InvalidParameterValue(
                $"Value ( {raw} ) for parameter maxResults is invalid. Expecting a value greater than 5."));
        }

        return Math.Min(value, 500);
    }
}
