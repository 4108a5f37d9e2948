using System.Xml.Linq;

namespace OfflineBackup.Sandbox.Ec2Double;

/// <summary>DeleteVolume: VolumeId, DryRun. Only an available volume goes; its image goes with it.</summary>
internal static class DeleteVolumeAction
{
    public static async Task<XElement> HandleAsync(Ec2Request request, VolumeInventory volumes, string requestId)
    {
        var volumeId = request.Required("VolumeId");
        using (await volumes.HoldAsync(CancellationToken.None).ConfigureAwait(false))
        {
            var volume = volumes.Find(volumeId);
            if (volume.Attachment is { } attachment)
            {
                throw new Ec2FaultException(Ec2Fault.VolumeInUse($"Volume {volumeId} is currently attached to {attachment.InstanceId}"));
            }

            if (volume.State != "available")
            {
                throw new Ec2FaultException(Ec2Fault.IncorrectState($"The volume '{volumeId}' is '{volume.State}'."));
            }

            request.StopIfDryRun();

            if (volume.HasImage)
            {
                volumes.Disks?.Delete(volumeId);
            }

            volumes.Remove(volumeId);
            return Ec2Xml.Response("DeleteVolume", requestId, new XElement(Ec2Xml.Ns + "return", "true"));
        }
    }
}
