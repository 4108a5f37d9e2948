using System.Globalization;
using System.Xml.Linq;

namespace OfflineBackup.Sandbox.Ec2Double;

/// <summary>EC2's XML for volumes and attachments, fields in the order EC2 writes them.</summary>
internal static class Ec2VolumeXml
{
    private static XNamespace Ns => Ec2Xml.Ns;

    public static IEnumerable<XElement> VolumeFields(Ec2VolumeView v)
    {
        yield return new XElement(Ns + "volumeId", v.VolumeId);
        yield return new XElement(Ns + "size", v.SizeGiB.ToString(CultureInfo.InvariantCulture));
        yield return new XElement(Ns + "snapshotId", v.SnapshotId ?? "");
        yield return new XElement(Ns + "availabilityZone", v.AvailabilityZone);
        yield return new XElement(Ns + "status", v.State);
        yield return new XElement(Ns + "createTime", Timestamp(v.CreateTime));
        yield return new XElement(Ns + "attachmentSet",
            v.Attachment is { } a
                ? new XElement(Ns + "item", Attachment(v.VolumeId, a.InstanceId, a.Device, a.State, a.AttachTime), new XElement(Ns + "deleteOnTermination", "false"))
                : null);
        yield return new XElement(Ns + "volumeType", v.VolumeType);
        yield return new XElement(Ns + "encrypted", "false");
        yield return new XElement(Ns + "multiAttachEnabled", "false");
        yield return new XElement(Ns + "tagSet",
            v.Tags.Select(t => new XElement(Ns + "item", new XElement(Ns + "key", t.Key), new XElement(Ns + "value", t.Value))));
    }

    /// <summary>AttachVolume and DetachVolume answer with the attachment's fields at the top level.</summary>
    public static IEnumerable<XElement> AttachmentFields(string volumeId, StoredAttachment a) =>
        Attachment(volumeId, a.InstanceId, a.Device, a.State, a.AttachTime);

    private static IEnumerable<XElement> Attachment(string volumeId, string instanceId, string device, string state, DateTimeOffset attachTime) =>
    [
        new XElement(Ns + "volumeId", volumeId),
        new XElement(Ns + "instanceId", instanceId),
        new XElement(Ns + "device", device),
        new XElement(Ns + "status", state),
        new XElement(Ns + "attachTime", Timestamp(attachTime)),
    ];

    private static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
