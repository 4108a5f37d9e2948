using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using OfflineBackup.Sandbox.MariaDb;
using Ec2Api = OfflineBackup.Sandbox.Ec2Double.Ec2Double;

namespace OfflineBackup.Sandbox.Disks;

/// <summary>The throwaway server a restore check started, on the volume it made from the snapshot.</summary>
public sealed record RestoredServer(string VolumeId, string LocalDevice, DiskMode Mode, MariaDbServer Server);

/// <summary>
/// Proves that a snapshot restores, the way a DBA would, through the real AWS SDK against the EC2
/// double: CreateVolume from the snapshot, AttachVolume to the instance, find the device by its
/// by-id name, mount it read-write, start a throwaway mariadbd on it (its own socket and port,
/// another server_id, skip-slave-start, no binary log), let the caller query it; then stop,
/// unmount, detach and delete the volume. Nothing of the live replica is touched: the volume is
/// a copy. The online-backup and drill tests can ask the restored server anything (GTID
/// position, row counts) through <see cref="RunAsync{T}"/>.
/// </summary>
public sealed class SnapshotRestoreCheck(Ec2Api ec2, string directory, string instanceId, string availabilityZone, string rootPassword)
{
    private const int ThrowawayServerId = 3;
    private const string Device = "/dev/sdg";
    private static readonly TimeSpan StepLimit = TimeSpan.FromSeconds(30);

    public async Task<T> RunAsync<T>(
        string snapshotId, Func<RestoredServer, CancellationToken, Task<T>> inspect, CancellationToken cancellationToken)
    {
        var disks = ec2.Disks ?? throw new InvalidOperationException("the EC2 double has no disk store");
        using var client = new AmazonEC2Client(
            new BasicAWSCredentials("SANDBOXACCESSKEY", "sandbox-not-a-secret"),
            new AmazonEC2Config { ServiceURL = ec2.ServiceUrl.ToString(), AuthenticationRegion = "us-east-1" });
        var created = await client.CreateVolumeAsync(
            new CreateVolumeRequest
            {
                SnapshotId = snapshotId,
                AvailabilityZone = availabilityZone,
                TagSpecifications = [new TagSpecification { ResourceType = ResourceType.Volume, Tags = [new Tag("Name", "sandbox restore check")] }],
            },
            cancellationToken);
        var volumeId = created.Volume.VolumeId;
        var mountPoint = Path.Combine(directory, "volume");
        MariaDbServer? server = null;
        var mounted = false;
        try
        {
            await WaitForAsync(client, volumeId, v => v.State == VolumeState.Available, cancellationToken);
            await client.AttachVolumeAsync(new AttachVolumeRequest { VolumeId = volumeId, InstanceId = instanceId, Device = Device }, cancellationToken);
            await WaitForAsync(client, volumeId, v => v.Attachments?.FirstOrDefault()?.State == AttachmentStatus.Attached, cancellationToken);
            var link = disks.ByIdLink(volumeId);
            var device = new FileInfo(link).ResolveLinkTarget(returnFinalTarget: true)?.FullName
                ?? throw new DiskException($"no {link} after the volume was attached");
            await disks.MountAsync(link, mountPoint, cancellationToken);
            mounted = true;

            var config = new MariaDbConfigFile(MariaDbRole.Replica, ThrowawayServerId, FreePort.Pick(), directory, SkipSlaveStart: true, mountPoint);
            server = new MariaDbServer("restored", config, rootPassword);
            await config.WriteAsync(cancellationToken);
            await server.StartAsync(cancellationToken);
            return await inspect(new RestoredServer(volumeId, device, disks.Mode, server), cancellationToken);
        }
        finally
        {
            // The sandbox's own clean-up would get all of this too; doing it here shows the way back.
            if (server is not null)
            {
                await server.StopAsync(CancellationToken.None);
            }

            if (mounted)
            {
                await disks.UnmountAsync(mountPoint, CancellationToken.None);
            }

            await client.DetachVolumeAsync(new DetachVolumeRequest { VolumeId = volumeId }, CancellationToken.None);
            await WaitForAsync(client, volumeId, v => v.State == VolumeState.Available, CancellationToken.None);
            await client.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = volumeId }, CancellationToken.None);
        }
    }

    private static async Task WaitForAsync(IAmazonEC2 client, string volumeId, Func<Volume, bool> condition, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(StepLimit);
        while (true)
        {
            var volumes = await client.DescribeVolumesAsync(new DescribeVolumesRequest { VolumeIds = [volumeId] }, limit.Token);
            if (condition(volumes.Volumes.Single()))
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), limit.Token);
        }
    }
}
