using System.Xml.Linq;

namespace OfflineBackup.Sandbox.Ec2Double;

/// <summary>
/// CopySnapshot, sent to the destination region: SourceRegion, SourceSnapshotId, Description,
/// Encrypted, KmsKeyId, TagSpecification.N, DryRun. The source must be a completed snapshot of
/// this account in SourceRegion; the copy starts pending with an arbitrary volume id.
/// </summary>
internal static class CopySnapshotAction
{
    public static XElement Handle(Ec2Request request, Ec2Double owner, SnapshotInventory destination, string requestId)
    {
        var sourceRegion = request.Required("SourceRegion");
        var sourceId = request.Required("SourceSnapshotId");
        var source = owner.SourceInventory(sourceRegion)?.Get(sourceId)
            ?? throw new Ec2FaultException(Ec2Fault.SnapshotNotFound(sourceId));
        if (source.State != "completed")
        {
            throw new Ec2FaultException(new Ec2Fault(400, "IncorrectState", $"Snapshot is in invalid state - {source.State}"));
        }

        if (request.Parameter("KmsKeyId") is { Length: > 0 } key)
        {
            if (!string.Equals(request.Parameter("Encrypted"), "true", StringComparison.OrdinalIgnoreCase))
            {
                throw new Ec2FaultException(Ec2Fault.InvalidParameterValue("KmsKeyId requires Encrypted to be true"));
            }

            if (!owner.KnowsKmsKey(key))
            {
                throw new Ec2FaultException(new Ec2Fault(400, "InvalidParameterValue", $"Invalid KMS key: {key} does not exist or is not accessible"));
            }
        }

        var tags = TagSpecification.Parse(request, "snapshot");
        request.StopIfDryRun();

        var copy = destination.CreateCopy(source, request.Parameter("Description") ?? $"Copied for DestinationAmi from {sourceId}", tags, owner.CopyCompletion);
        return Ec2Xml.Response("CopySnapshot", requestId, new XElement(Ec2Xml.Ns + "snapshotId", copy.SnapshotId));
    }
}
