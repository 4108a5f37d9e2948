using System.Globalization;
using System.Xml.Linq;

namespace OfflineBackup.Sandbox.Ec2Double;

/// <summary>DescribeLockedSnapshots: SnapshotId.N, MaxResults (5-1000), NextToken, DryRun; the caller's own locks only.</summary>
internal static class DescribeLockedSnapshotsAction
{
    public static XElement Handle(Ec2Request request, SnapshotInventory inventory, string requestId)
    {
        var maxResults = 1000;
        if (request.Parameter("MaxResults") is { } max
            && (!int.TryParse(max, NumberStyles.None, CultureInfo.InvariantCulture, out maxResults) || maxResults is < 5 or > 1000))
        {
            throw new Ec2FaultException(Ec2Fault.InvalidParameterValue($"Value ( {max} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000."));
        }

        request.StopIfDryRun();

        var ids = request.List("SnapshotId");
        var locked = inventory.Locked().Where(l => ids.Count == 0 || ids.Contains(l.SnapshotId)).ToList();
        var start = request.Parameter("NextToken") is { Length: > 0 } token
            ? int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var offset) && offset <= locked.Count
                ? offset
                : throw new Ec2FaultException(Ec2Fault.InvalidParameterValue($"Invalid NextToken {token}"))
            : 0;
        var page = locked.Skip(start).Take(maxResults).ToList();
        var next = start + page.Count < locked.Count
            ? new XElement(Ec2Xml.Ns + "nextToken", (start + page.Count).ToString(CultureInfo.InvariantCulture))
            : null;
        return Ec2Xml.Response("DescribeLockedSnapshots", requestId,
            new XElement(Ec2Xml.Ns + "snapshotSet", page.Select(l => new XElement(Ec2Xml.Ns + "item",
                new XElement(Ec2Xml.Ns + "ownerId", l.OwnerId),
                new XElement(Ec2Xml.Ns + "snapshotId", l.SnapshotId),
                new XElement(Ec2Xml.Ns + "lockState", l.Lock.State),
                new XElement(Ec2Xml.Ns + "lockExpiresOn", Ec2Xml.Timestamp(l.Lock.ExpiresOn))))),
            next);
    }
}
