using System.Xml.Linq;

namespace OfflineBackup.Sandbox.Ec2Double;

/// <summary>
/// DescribeVolumes: VolumeId.N, Filter.N (volume-id, status, availability-zone, snapshot-id,
/// attachment.instance-id, attachment.status, attachment.device, tag:KEY, tag-key, tag-value; * and ?
/// wildcards), MaxResults 5..500 with NextToken. Each call first settles the transitions the
/// earlier calls started (see <see cref="VolumeInventory.SettleAsync"/>).
/// </summary>
internal static class DescribeVolumesAction
{
    private static readonly DescribeListing<Ec2VolumeView> Listing = new(
        "DescribeVolumes", "VolumeId", "vol-", Ec2Fault.MalformedVolumeId, Ec2Fault.VolumeNotFound, "volumeSet",
        MaxResults: 500, new PageToken("ec2double-volumes:"), v => v.VolumeId, v => v.Tags, FieldOf);

    public static async Task<XElement> HandleAsync(Ec2Request request, VolumeInventory volumes, string requestId)
    {
        var query = DescribeQuery<Ec2VolumeView>.Read(request, Listing);
        List<Ec2VolumeView> all;
        using (await volumes.HoldAsync(CancellationToken.None).ConfigureAwait(false))
        {
            foreach (var volume in volumes.All())
            {
                await volumes.SettleAsync(volume, CancellationToken.None).ConfigureAwait(false);
            }

            all = volumes.All().Select(v => v.ToView()).ToList();
        }

        return query.Answer(requestId, query.Select(all), v => new XElement(Ec2Xml.Ns + "item", Ec2VolumeXml.VolumeFields(v)));
    }

    private static Func<Ec2VolumeView, IEnumerable<string?>>? FieldOf(string name) => name switch
    {
        "volume-id" => v => [v.VolumeId],
        "status" => v => [v.State],
        "availability-zone" => v => [v.AvailabilityZone],
        "snapshot-id" => v => [v.SnapshotId],
        "attachment.instance-id" => v => [v.Attachment?.InstanceId],
        "attachment.status" => v => [v.Attachment?.State],
        "attachment.device" => v => [v.Attachment?.Device],
        _ => null,
    };
}
