using System.Xml.Linq;

namespace OfflineBackup.Sandbox.Ec2Double;

/// <summary>
/// DetachVolume: VolumeId, InstanceId, Device, Force, DryRun. Answers <c>detaching</c>. A device
/// still mounted on this host keeps the volume detaching (EBS waits for the OS to let go) until it
/// is unmounted, or at once with Force.
/// </summary>
internal static class DetachVolumeAction
{
    public static async Task<XElement> HandleAsync(Ec2Request request, VolumeInventory volumes, string requestId)
    {
        var volumeId = request.Required("VolumeId");
        var force = string.Equals(request.Parameter("Force"), "true", StringComparison.OrdinalIgnoreCase);
        using (await volumes.HoldAsync(CancellationToken.None).ConfigureAwait(false))
        {
            var volume = volumes.Find(volumeId);
            if (volume.Attachment is not { } attachment)
            {
                throw new Ec2FaultException(Ec2Fault.IncorrectState($"Volume '{volumeId}' is in the '{volume.State}' state."));
            }

            if ((request.Parameter("InstanceId") is { } instance && instance != attachment.InstanceId)
                || (request.Parameter("Device") is { } device && device != attachment.Device))
            {
                throw new Ec2FaultException(new Ec2Fault(400, "InvalidAttachment.NotFound",
                    $"Volume '{volumeId}' is not attached to the instance or device given."));
            }

            request.StopIfDryRun();

            attachment.State = "detaching";
            attachment.Force |= force;
            attachment.Released = attachment.LocalDevice is null || volumes.Disks is null
                || await volumes.Disks.TryDetachAsync(volumeId, attachment.Force, CancellationToken.None).ConfigureAwait(false);
            return Ec2Xml.Response("DetachVolume", requestId, Ec2VolumeXml.AttachmentFields(volumeId, attachment));
        }
    }
}
