using System.Globalization;
using System.Xml.Linq;

namespace OfflineBackup.Sandbox.Ec2Double;

/// <summary>
/// DescribeSnapshots: SnapshotId.N, Owner.N, Filter.N, and real pagination (MaxResults 5..1000,
/// an opaque NextToken). Without MaxResults every match comes in one answer, as EC2 does.
/// </summary>
internal static class DescribeSnapshotsAction
{
    private const int MinResults = 5;
    private const int MaxResults = 1000;
    private static readonly PageToken Tokens = new("ec2double-v1:");

    public static XElement Handle(Ec2Request request, SnapshotInventory inventory, int? maxPageSize, string requestId)
    {
        var snapshotIds = request.List("SnapshotId");
        foreach (var id in snapshotIds.Where(id => !id.StartsWith("snap-", StringComparison.Ordinal)))
        {
            throw new Ec2FaultException(Ec2Fault.MalformedSnapshotId(id));
        }

        var owners = request.List("Owner").Select(o => o == "self" ? inventory.AccountId : o).ToHashSet(StringComparer.Ordinal);
        var filters = SnapshotFilter.Parse(request);
        var pageSize = ParseMaxResults(request.Parameter("MaxResults"));
        if (pageSize is not null && snapshotIds.Count > 0)
        {
            throw new Ec2FaultException(Ec2Fault.InvalidParameterCombination(
                "The parameter snapshotSet cannot be used with the parameter maxResults"));
        }

        var after = Tokens.Read(request.Parameter("NextToken"));
        request.StopIfDryRun();

        var all = inventory.Describe();
        var missing = snapshotIds.Where(id => !all.Any(s => s.SnapshotId == id)).ToList();
        if (missing.Count > 0)
        {
            throw new Ec2FaultException(Ec2Fault.SnapshotNotFound(string.Join(", ", missing)));
        }

        var matches = all
            .Where(s => snapshotIds.Count == 0 || snapshotIds.Contains(s.SnapshotId))
            .Where(s => owners.Count == 0 || owners.Contains(s.OwnerId))
            .Where(s => filters.All(f => f.Matches(s)))
            .Where(s => after is null || string.CompareOrdinal(s.SnapshotId, after) > 0)
            .ToList();

        var take = pageSize is null ? matches.Count : Math.Min(pageSize.Value, maxPageSize ?? int.MaxValue);
        var page = matches.Take(take).ToList();
        var nextToken = page.Count < matches.Count ? Tokens.Issue(page[^1].SnapshotId) : null;

        return Ec2Xml.Response("DescribeSnapshots", requestId,
            new XElement(Ec2Xml.Ns + "snapshotSet", page.Select(s => Ec2Xml.Snapshot("item", s))),
            nextToken is null ? null : new XElement(Ec2Xml.Ns + "nextToken", nextToken));
    }

    private static int? ParseMaxResults(string? raw)
    {
        if (raw is null)
        {
            return null;
        }

        if (!int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            throw new Ec2FaultException(Ec2Fault.InvalidParameterValue($"Invalid value '{raw}' for maxResults"));
        }

        if (value < MinResults)
        {
            throw new Ec2FaultException(Ec2Fault.InvalidParameterValue(
                $"Value ( {value} ) for parameter maxResults is invalid. Expecting a value greater than {MinResults}."));
        }

        // EC2 quietly caps larger values rather than refusing them.
        return Math.Min(value, MaxResults);
    }
}
