using System.Globalization;
using System.Xml.Linq;

namespace OfflineBackup.Sandbox.Ec2Double;

/// <summary>
/// DescribeSnapshots: SnapshotId.N, Owner.N, Filter.N, and real pagination (MaxResults 5..1000,
/// an opaque NextToken). Without MaxResults every match comes in one answer, as EC2 does.
/// </summary>
internal static class DescribeSnapshotsAction
{
    private static readonly DescribeListing<Ec2SnapshotView> Listing = new(
        "DescribeSnapshots", "SnapshotId", "snap-", Ec2Fault.MalformedSnapshotId, Ec2Fault.SnapshotNotFound, "snapshotSet",
        MaxResults: 1000, new PageToken("ec2double-v1:"), s => s.SnapshotId, s => s.Tags, FieldOf);

    public static XElement Handle(Ec2Request request, SnapshotInventory inventory, int? maxPageSize, string requestId)
    {
        var owners = request.List("Owner").Select(o => o == "self" ? inventory.AccountId : o).ToHashSet(StringComparer.Ordinal);
        var query = DescribeQuery<Ec2SnapshotView>.Read(request, Listing);
        var matches = query.Select(inventory.Describe(), s => owners.Count == 0 || owners.Contains(s.OwnerId));
        return query.Answer(requestId, matches, s => Ec2Xml.Snapshot("item", s), maxPageSize);
    }

    private static Func<Ec2SnapshotView, IEnumerable<string?>>? FieldOf(string name) => name switch
    {
        "volume-id" => s => [s.VolumeId],
        "status" => s => [s.State],
        "owner-id" => s => [s.OwnerId],
        "snapshot-id" => s => [s.SnapshotId],
        "description" => s => [s.Description],
        "progress" => s => [s.Progress],
        "volume-size" => s => [s.VolumeSizeGiB.ToString(CultureInfo.InvariantCulture)],
        _ => null,
    };
}
