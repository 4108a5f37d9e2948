using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace OfflineBackup.Sandbox.Ec2Double;

/// <summary>
/// AttachVolume: VolumeId, InstanceId, Device, DryRun. A volume with an image is attached to a
/// loop device on this host and linked in the store's by-id directory under the name a Nitro
/// instance gives it (every instance of the double is this host). Answers <c>attaching</c>.
/// </summary>
internal static partial class AttachVolumeAction
{
    public static async Task<XElement> HandleAsync(Ec2Request request, VolumeInventory volumes, string requestId)
    {
        var volumeId = request.Required("VolumeId");
        var instanceId = request.Required("InstanceId");
        var device = request.Required("Device");
        if (!DeviceName().IsMatch(device))
        {
            throw new Ec2FaultException(Ec2Fault.InvalidParameterValue(
                $"Value ({device}) for parameter device is invalid. {device} is not a valid EBS device name."));
        }

        // Not cancelled with the request: losetup cut short could leave a device nobody records.
        using (await volumes.HoldAsync(CancellationToken.None).ConfigureAwait(false))
        {
            var volume = volumes.Find(volumeId);
            var zone = volumes.InstanceZone(instanceId);
            if (volume.Attachment is { } attached)
            {
                throw new Ec2FaultException(Ec2Fault.VolumeInUse($"{volumeId} is already attached to an instance ({attached.InstanceId})"));
            }

            if (volume.State != "available")
            {
                throw new Ec2FaultException(Ec2Fault.IncorrectState($"{volumeId} is not 'available'."));
            }

            if (volume.Zone != zone)
            {
                throw new Ec2FaultException(Ec2Fault.ZoneMismatch(volumeId, instanceId));
            }

            if (volumes.All().Any(v => v.Attachment is { } a && a.InstanceId == instanceId && a.Device == device))
            {
                throw new Ec2FaultException(Ec2Fault.InvalidParameterValue(
                    $"Invalid value '{device}' for unixDevice. Attachment point {device} is already in use"));
            }

            request.StopIfDryRun();

            var local = volume.HasImage && !volumes.WithholdDevices && volumes.Disks is { } disks
                ? await disks.AttachAsync(volumeId, CancellationToken.None).ConfigureAwait(false)
                : null;
            volume.Attachment = new StoredAttachment(instanceId, device, volumes.Time.GetUtcNow(), local);
            volume.State = "in-use";
            return Ec2Xml.Response("AttachVolume", requestId, Ec2VolumeXml.AttachmentFields(volumeId, volume.Attachment));
        }
    }

    [GeneratedRegex("^/dev/(sd[a-z]|xvd[a-z]{1,2})$")]
    private static partial Regex DeviceName();
}
