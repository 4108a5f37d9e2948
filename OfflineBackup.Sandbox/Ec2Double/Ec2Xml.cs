using System.Globalization;
using System.Xml.Linq;

namespace OfflineBackup.Sandbox.Ec2Double;

/// <summary>EC2's XML shapes: responses in the 2016-11-15 namespace, errors in the bare Query-error form.</summary>
internal static class Ec2Xml
{
    public static readonly XNamespace Ns = "http://ec2.amazonaws.com/doc/2016-11-15/";

    public static XElement Response(string action, string requestId, params object?[] content) =>
        new(Ns + (action + "Response"), new XElement(Ns + "requestId", requestId), content);

    public static XElement Snapshot(string elementName, Ec2SnapshotView s) =>
        new(Ns + elementName, SnapshotFields(s));

    /// <summary>The fields of a snapshot, in the order EC2 writes them; CreateSnapshot puts them at the response's top level.</summary>
    public static IEnumerable<XElement> SnapshotFields(Ec2SnapshotView s)
    {
        yield return new XElement(Ns + "snapshotId", s.SnapshotId);
        yield return new XElement(Ns + "volumeId", s.VolumeId);
        yield return new XElement(Ns + "status", s.State);
        if (s.StateMessage is not null)
        {
            yield return new XElement(Ns + "statusMessage", s.StateMessage);
        }

        yield return new XElement(Ns + "startTime", Timestamp(s.StartTime));
        yield return new XElement(Ns + "progress", s.Progress);
        yield return new XElement(Ns + "ownerId", s.OwnerId);
        yield return new XElement(Ns + "volumeSize", s.VolumeSizeGiB.ToString(CultureInfo.InvariantCulture));
        yield return new XElement(Ns + "description", s.Description);
        yield return new XElement(Ns + "encrypted", "false");
        yield return TagSet(s.Tags);
    }

    public static XElement Error(Ec2Fault fault, string requestId) =>
        new("Response",
            new XElement("Errors",
                new XElement("Error",
                    new XElement("Code", fault.Code),
                    new XElement("Message", fault.Message))),
            new XElement("RequestID", requestId));

    public static string Serialize(XElement root) =>
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + root.ToString(SaveOptions.DisableFormatting);

    private static XElement TagSet(IReadOnlyDictionary<string, string> tags) =>
        new(Ns + "tagSet",
            tags.Select(t => new XElement(Ns + "item",
                new XElement(Ns + "key", t.Key),
                new XElement(Ns + "value", t.Value))));

    public static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
