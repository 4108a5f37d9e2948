using System.Xml.Linq;

namespace OfflineBackup.Sandbox.Ec2Double;

/// <summary>DeleteSnapshot: SnapshotId, DryRun; NotFound for unknown ids, InUse for a snapshot backing an AMI.</summary>
internal static class DeleteSnapshotAction
{
    public static XElement Handle(Ec2Request request, SnapshotInventory inventory, VolumeInventory volumes, string requestId)
    {
        var snapshotId = request.Required("SnapshotId");
        if (!snapshotId.StartsWith("snap-", StringComparison.Ordinal))
        {
            throw new Ec2FaultException(Ec2Fault.MalformedSnapshotId(snapshotId));
        }

        var image = inventory.Delete(snapshotId, delete: !request.DryRun);
        request.StopIfDryRun();

        if (image is not null)
        {
            volumes.Disks?.Delete(image.To);
        }

        return Ec2Xml.Response("DeleteSnapshot", requestId, new XElement(Ec2Xml.Ns + "return", "true"));
    }
}
