using System.CommandLine;
using System.Text.Json;
using OfflineBackup.Errors;
using OfflineBackup.Restore;

namespace OfflineBackup.Commands;

/// <summary>
/// <c>offline-backup restore SNAPSHOT</c>: a volume from one of our snapshots, attached if asked,
/// and the exact steps to bring it up as a replica. <c>--dry-run</c> asks EC2's DryRun only.
/// </summary>
public static class RestoreCommand
{
    private static readonly Argument<string> SnapshotArgument = new("SNAPSHOT") { Description = "The snapshot to restore (snap-...)" };
    private static readonly Option<string?> Zone = new("--availability-zone") { Description = "Zone of the new volume (default: instance.availability_zone)" };
    private static readonly Option<string?> VolumeType = new("--volume-type") { Description = "gp3, gp2, io1, io2, st1, sc1, standard (default: EC2's, gp3 or gp2)" };
    private static readonly Option<int?> Iops = new("--iops") { Description = "Provisioned IOPS (gp3, io1, io2)" };
    private static readonly Option<int?> Throughput = new("--throughput") { Description = "Throughput in MiB/s (gp3)" };
    private static readonly Option<bool> Attach = new("--attach") { Description = "Attach the volume and wait until its device appears" };
    private static readonly Option<string?> Device = new("--device") { Description = "Device name for AttachVolume, e.g. /dev/sdg (default: the first free of /dev/sdg../dev/sdp)" };
    private static readonly Option<string?> Instance = new("--instance") { Description = "Instance to attach to (default: instance.instance_id, this one)" };
    private static readonly Option<bool> Force = new("--force") { Description = "Restore a snapshot that is not ours or not completed" };
    private static readonly Option<string?> MountPoint = new("--mount-point") { Description = "Mount point in the printed steps (default: /mnt/offline-backup/SNAPSHOT)" };
    private static readonly Option<long?> ServerId = new("--server-id") { Description = "server_id in the printed steps (default: derived from the volume id)" };
    private static readonly Option<int> Port = new("--port") { Description = "Port of the restored server in the printed steps", DefaultValueFactory = _ => 3307 };
    private static readonly Option<string> OsUser = new("--mysqld-user") { Description = "The --user of the restored server in the printed steps", DefaultValueFactory = _ => "mysql" };

    public static Command Create(CliServices services)
    {
        var command = new Command("restore", "Make a volume from a snapshot, attach it if asked, and print how to bring it up as a replica")
        {
            SnapshotArgument, Zone, VolumeType, Iops, Throughput, Attach, Device, Instance, Force, CommonOptions.Json, CommonOptions.DryRun,
            MountPoint, ServerId, Port, OsUser,
        };
        CommandSession.Bind(command, services, (parseResult, session, token) =>
        {
            var request = RequestOf(parseResult, session);
            return parseResult.GetValue(CommonOptions.DryRun)
                ? DryRunAsync(session, request, token)
                : ExecuteAsync(session, request, parseResult.GetValue(CommonOptions.Json), token);
        });
        return command;
    }

    public static async Task<int> ExecuteAsync(CommandSession session, RestoreRequest request, bool json, CancellationToken cancellationToken)
    {
        var result = await session.Wired.Restore.RunAsync(request, cancellationToken);
        if (json)
        {
            await session.Output.WriteLineAsync(JsonSerializer.Serialize(RestoreReport.From(result), CheckReport.Options));
            return ExitCodes.Success;
        }

        var volume = result.Volume;
        var output = session.Output;
        await output.WriteLineAsync($"offline-backup restore: volume {volume.VolumeId} made from {result.Snapshot.Id} in {volume.AvailabilityZone}");
        if (volume.Device is { } device)
        {
            await output.WriteLineAsync($"attached to {volume.InstanceId} as {volume.AttachedAs}: device {device} ({volume.DeviceLink})");
        }

        await output.WriteLineAsync("To bring it up as a replica ($ lines are shell commands as root, sql> lines statements for the restored server):");
        foreach (var step in result.Steps)
        {
            await output.WriteLineAsync(step.Kind switch
            {
                RestoreStepKind.Shell => $"   $ {step.Text}",
                RestoreStepKind.Sql => $"   sql> {step.Text}",
                _ => step.Text,
            });
        }

        return ExitCodes.Success;
    }

    public static async Task<int> DryRunAsync(CommandSession session, RestoreRequest request, CancellationToken cancellationToken)
    {
        var plan = await session.Wired.Restore.PlanAsync(request, cancellationToken);
        var allowed = plan.Probe.Outcome == Aws.ProbeOutcome.Allowed;
        await session.Output.WriteLineAsync("dry run: nothing is created or attached");
        await session.Output.WriteLineAsync(
            $"  CreateVolume from {plan.Snapshot.Id} in {plan.Shape.AvailabilityZone}: EC2's DryRun {(allowed ? "allows it" : "REFUSES it: " + plan.Probe.Detail)}");
        if (request.Attach is { } target)
        {
            await session.Output.WriteLineAsync($"  then AttachVolume to {target.InstanceId} as {target.Device ?? "the first free /dev/sdg../dev/sdp"} and wait for its device");
        }

        return allowed ? ExitCodes.Success : ExitCodes.PermissionDenied;
    }

    private static RestoreRequest RequestOf(ParseResult parseResult, CommandSession session)
    {
        var settings = session.Settings;
        var zone = parseResult.GetValue(Zone) ?? settings.Placement.AvailabilityZone
            ?? throw new ConfigurationException("no availability zone: set instance.availability_zone in the config or give --availability-zone");
        var attach = parseResult.GetValue(Attach);
        if (!attach && (parseResult.GetValue(Device) is not null || parseResult.GetValue(Instance) is not null))
        {
            throw new ConfigurationException("--device and --instance go with --attach");
        }

        return new RestoreRequest(
            parseResult.GetValue(SnapshotArgument)!,
            new VolumeShape(zone, parseResult.GetValue(VolumeType), parseResult.GetValue(Iops), parseResult.GetValue(Throughput)),
            attach ? new AttachTarget(parseResult.GetValue(Instance) ?? settings.Instance.InstanceId, parseResult.GetValue(Device)) : null,
            parseResult.GetValue(Force),
            new ReplicaLayoutOptions(parseResult.GetValue(MountPoint), parseResult.GetValue(ServerId), parseResult.GetValue(Port), parseResult.GetValue(OsUser)!));
    }
}

/// <summary>The JSON document of <c>restore --json</c>; field names are a contract with scripts.</summary>
public sealed record RestoreReport(
    string Snapshot,
    string Volume,
    string AvailabilityZone,
    string? Instance,
    string? AttachedAs,
    string? Device,
    string? DeviceLink,
    RestorePositionReport Position,
    IReadOnlyList<RestoreStepReport> Steps)
{
    public static RestoreReport From(RestoreResult result) => new(
        result.Snapshot.Id,
        result.Volume.VolumeId,
        result.Volume.AvailabilityZone,
        result.Volume.InstanceId,
        result.Volume.AttachedAs,
        result.Volume.Device,
        result.Volume.DeviceLink,
        new RestorePositionReport(result.Position.Source, result.Position.GtidSet, result.Position.BinlogFile, result.Position.BinlogPosition),
        [.. result.Steps.Select(s => new RestoreStepReport(s.Kind.ToString().ToLowerInvariant(), s.Text))]);
}

public sealed record RestorePositionReport(string Source, string? Gtid, string? BinlogFile, long? BinlogPosition);

public sealed record RestoreStepReport(string Kind, string Text);
