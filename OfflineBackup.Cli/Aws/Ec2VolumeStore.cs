using Amazon.EC2;
using Amazon.EC2.Model;
using OfflineBackup.Errors;
using Ec2Volume = Amazon.EC2.Model.Volume;

namespace OfflineBackup.Aws;

/// <summary>
/// <see cref="IVolumeStore"/> over AWSSDK.EC2. Waiting for a state is <see cref="VolumeWaiter"/>'s
/// job; this class makes one call per method and maps its failures.
/// </summary>
public sealed class Ec2VolumeStore(Func<IAmazonEC2> connect) : IVolumeStore
{
    // Built on the first call, inside the error mapping: AWSSDK.EC2 4.x resolves the region and
    // credentials in the client's constructor, and a bare host must get a code, not a bug.
    private readonly Lazy<IAmazonEC2> _ec2 = new(connect);

    public Ec2VolumeStore(IAmazonEC2 ec2)
        : this(() => ec2)
    {
    }

    private IAmazonEC2 Ec2 => _ec2.Value;

    public Task<EbsVolume> CreateVolumeAsync(NewVolume request, CancellationToken cancellationToken) =>
        CallAsync("CreateVolume", async () =>
        {
            var response = await Ec2.CreateVolumeAsync(ToCreateRequest(request, dryRun: false), cancellationToken).ConfigureAwait(false);
            return ToVolume(new Ec2Volume
            {
                VolumeId = response.Volume.VolumeId,
                State = response.Volume.State,
                AvailabilityZone = response.Volume.AvailabilityZone,
                SnapshotId = response.Volume.SnapshotId,
                Tags = response.Volume.Tags,
            });
        }, cancellationToken);

    public Task<PermissionProbe> ProbeCreateVolumeAsync(NewVolume request, CancellationToken cancellationToken) =>
        CallAsync("CreateVolume", async () =>
        {
            try
            {
                var created = await Ec2.CreateVolumeAsync(ToCreateRequest(request, dryRun: true), cancellationToken).ConfigureAwait(false);

                // EC2 never carries out a dry run; if it did, a volume may now exist.
                throw new BackupException(ExitCodes.RestoreFailed,
                    $"ec2:CreateVolume dry run was carried out instead of refused (volume {created.Volume?.VolumeId ?? "unknown"}); check the account by hand");
            }
            catch (AmazonEC2Exception e) when (e.ErrorCode == "DryRunOperation")
            {
                return new PermissionProbe("ec2:CreateVolume", ProbeOutcome.Allowed, e.Message);
            }
            catch (AmazonEC2Exception e) when (e.ErrorCode == "UnauthorizedOperation")
            {
                return new PermissionProbe("ec2:CreateVolume", ProbeOutcome.Denied, $"ec2:CreateVolume denied: {e.Message}");
            }
        }, cancellationToken);

    public Task<EbsVolume?> FindVolumeAsync(string volumeId, CancellationToken cancellationToken) =>
        CallAsync("DescribeVolumes", async () =>
        {
            try
            {
                var response = await Ec2.DescribeVolumesAsync(new DescribeVolumesRequest { VolumeIds = [volumeId] }, cancellationToken)
                    .ConfigureAwait(false);
                return response.Volumes?.Where(v => v.VolumeId == volumeId).Select(ToVolume).FirstOrDefault();
            }
            catch (AmazonEC2Exception e) when (e.ErrorCode == "InvalidVolume.NotFound")
            {
                return null;
            }
        }, cancellationToken);

    public Task<IReadOnlyList<EbsVolume>> FindByRunIdAsync(string runId, CancellationToken cancellationToken) =>
        CallAsync<IReadOnlyList<EbsVolume>>("DescribeVolumes", async () =>
        {
            var response = await Ec2.DescribeVolumesAsync(
                new DescribeVolumesRequest { Filters = [new Filter { Name = "tag:" + ToolTags.RunId, Values = [runId] }] },
                cancellationToken).ConfigureAwait(false);
            return [.. (response.Volumes ?? []).Select(ToVolume).Where(v => v.IsOurs && v.Tag(ToolTags.RunId) == runId)];
        }, cancellationToken);

    public Task<IReadOnlyList<string>> AttachedDeviceNamesAsync(string instanceId, CancellationToken cancellationToken) =>
        CallAsync<IReadOnlyList<string>>("DescribeVolumes", async () =>
        {
            var response = await Ec2.DescribeVolumesAsync(
                new DescribeVolumesRequest { Filters = [new Filter { Name = "attachment.instance-id", Values = [instanceId] }] },
                cancellationToken).ConfigureAwait(false);
            return [.. (response.Volumes ?? []).SelectMany(v => v.Attachments ?? [])
                .Where(a => a.InstanceId == instanceId).Select(a => a.Device ?? "")];
        }, cancellationToken);

    public Task AttachVolumeAsync(string volumeId, string instanceId, string device, CancellationToken cancellationToken) =>
        CallAsync("AttachVolume", () => Ec2.AttachVolumeAsync(
            new AttachVolumeRequest { VolumeId = volumeId, InstanceId = instanceId, Device = device }, cancellationToken), cancellationToken);

    public Task DetachVolumeAsync(string volumeId, bool force, CancellationToken cancellationToken) =>
        CallAsync("DetachVolume", async () =>
        {
            try
            {
                await Ec2.DetachVolumeAsync(new DetachVolumeRequest { VolumeId = volumeId, Force = force ? true : null }, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (AmazonEC2Exception e) when (e.ErrorCode is "IncorrectState" or "InvalidAttachment.NotFound")
            {
                // Already detached (or detaching): what was asked for is, or will be, the case.
            }

            return true;
        }, cancellationToken);

    public async Task DeleteVolumeAsync(string volumeId, CancellationToken cancellationToken)
    {
        var volume = await FindVolumeAsync(volumeId, cancellationToken).ConfigureAwait(false);
        if (volume is null)
        {
            return;
        }

        if (!volume.IsOurs)
        {
            throw new BackupException(ExitCodes.RestoreFailed,
                $"refusing to delete {volumeId}: it does not carry {ToolTags.CreatedBy}={ToolTags.CreatedByValue}");
        }

        await CallAsync("DeleteVolume", async () =>
        {
            try
            {
                await Ec2.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = volumeId }, cancellationToken).ConfigureAwait(false);
            }
            catch (AmazonEC2Exception e) when (e.ErrorCode == "InvalidVolume.NotFound")
            {
                // Gone already: what was asked for.
            }

            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task TagSnapshotAsync(string snapshotId, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken) =>
        CallAsync("CreateTags", () => Ec2.CreateTagsAsync(
            new CreateTagsRequest { Resources = [snapshotId], Tags = SnapshotMapping.ToTags(tags) }, cancellationToken), cancellationToken);

    internal static EbsVolume ToVolume(Ec2Volume v) => new(
        v.VolumeId,
        v.State?.Value ?? "unknown",
        v.AvailabilityZone ?? "",
        string.IsNullOrEmpty(v.SnapshotId) ? null : v.SnapshotId,
        (v.Tags ?? []).GroupBy(t => t.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value ?? "", StringComparer.Ordinal),
        v.Attachments?.FirstOrDefault() is { } a ? new VolumeAttachment(a.InstanceId ?? "", a.Device ?? "", a.State?.Value ?? "") : null);

    private static CreateVolumeRequest ToCreateRequest(NewVolume request, bool dryRun) => new()
    {
        SnapshotId = request.SnapshotId,
        AvailabilityZone = request.AvailabilityZone,
        VolumeType = request.VolumeType is null ? null : new VolumeType(request.VolumeType),
        Iops = request.Iops,
        Throughput = request.Throughput,
        DryRun = dryRun ? true : null,
        TagSpecifications = [new TagSpecification { ResourceType = ResourceType.Volume, Tags = SnapshotMapping.ToTags(request.Tags) }],
    };

    /// <summary>Maps failures as the snapshot store does, except that a failed volume call is a failed restore (16), not a failed snapshot.</summary>
    private static async Task<T> CallAsync<T>(string action, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && Ec2ErrorMapper.Map(action, e) is { } mapped)
        {
            throw mapped.ExitCode == ExitCodes.SnapshotFailed
                ? new Ec2OperationException(ExitCodes.RestoreFailed, mapped.Action, mapped.ErrorCode, mapped.HttpStatus, mapped.Message, e)
                : mapped;
        }
    }
}
