using System.Text.Json;
using OfflineBackup.Sandbox.Disks;
using OfflineBackup.Sandbox.MariaDb;
using OfflineBackup.Sandbox.Testing;

namespace OfflineBackup.Bench.Benchmarks;

/// <summary>
/// Figure 5: a restore drill in the sandbox. A pair of its own whose replica keeps its data on a
/// loop-mounted volume (the EC2 double's EBS volume), one real <c>run</c> for a snapshot of it,
/// then repeated <c>drill</c>s of that snapshot: the restore time (volume made until the
/// throwaway server answers a query), the drill's phases from its JSON report, and the whole
/// invocation.
/// </summary>
public static class DrillBench
{
    private const int Rows = 1000;
    private static readonly TimeSpan InvocationTimeout = TimeSpan.FromMinutes(30);

    public static async Task<Section> RunAsync(BenchSession session, CancellationToken cancellationToken)
    {
        var options = session.Options;
        session.Progress("drill: starting a pair whose replica lives on a loop-mounted volume");
        await using var world = await ToolWorld.StartAsync(
            new ToolWorldOptions
            {
                OwnPair = new MariaDbPairOptions { ReplicaVolume = new DataVolumeOptions { VolumeId = Scene.VolumeId, Mode = DiskModeRequest.Loop } },
                VolumeId = Scene.VolumeId,
            },
            cancellationToken);
        await world.RewriteAsync(config => config with
        {
            GInstanceName = Scene.GInstanceName,
            AvailabilityZone = "us-east-1a",
            DeviceDirectory = world.Pair.Disks!.ByIdDirectory,
            Drill = new DrillConfig
            {
                ScratchDirectory = world.Files.Path("drill"),
                DataDirectoryOnVolume = "data",
                CountTables = [MariaDbReplicationPair.WritesTable],
            },
        });
        for (var i = 0; i < Rows; i++)
        {
            await world.Pair.WriteOnPrimaryAsync($"bench row {i}", cancellationToken);
        }

        await world.Pair.WaitForReplicaCaughtUpAsync(cancellationToken);
        await InvokeAsync(world, session.MainBinary, ["run"], cancellationToken);

        var samples = new Samples();
        for (var i = 0; i < options.Runs; i++)
        {
            session.Progress($"drill {i + 1}/{options.Runs}");
            var drill = await InvokeAsync(world, session.MainBinary, ["drill", "--json"], cancellationToken);
            using var report = JsonDocument.Parse(drill.Output);
            var steps = report.RootElement.GetProperty("steps").EnumerateArray()
                .ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("seconds").GetDouble(), StringComparer.Ordinal);
            samples.Add("restore", report.RootElement.GetProperty("restore_seconds").GetDouble());
            samples.Add("volume", steps["create volume"] + steps["attach"] + steps["mount"]);
            samples.Add("checks", steps["checks"]);
            samples.Add("cleanup", steps["stop server"] + steps["unmount"] + steps["detach and delete"]);
            samples.Add("wall", drill.Wall.TotalSeconds);
            samples.Add("rss", drill.PeakRssMiB);
        }

        var section = new Section("5. Restore drill in the sandbox (`drill`)");
        section.Add("volume made, attached and mounted", "s", samples["volume"], format: "0.00");
        section.Add("restore time: throwaway server started → answers", "s", samples["restore"], format: "0.00");
        section.Add("checks (CHECK TABLE ... QUICK, one count, position)", "s", samples["checks"], format: "0.00");
        section.Add("clean-up: stop, unmount, detach, delete", "s", samples["cleanup"], format: "0.00");
        section.Add("whole drill (invocation)", "s", samples["wall"], format: "0.00");
        section.Add("peak memory of the tool", "MiB", samples["rss"], format: "0.0");
        section.Notes.Add($"The sandbox replica's volume: a 2 GiB ext4 image holding MariaDB's system tables and {Rows} rows; "
            + "the EC2 double copies the image for CreateVolume (a reflink where the filesystem allows) and attaches it as a loop device. "
            + "On EBS, CreateVolume and AttachVolume take seconds to minutes and first reads of a restored volume are lazy-loaded from S3: "
            + "these figures are the tool's and the server's share, not AWS's.");
        return section;
    }

    private static async Task<ToolResult> InvokeAsync(ToolWorld world, string binary, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var logFile = world.Files.Path($"drill-bench-{Guid.NewGuid():N}.log");
        var result = await TimedInvocation.RunAsync(binary, [.. arguments, "--config", world.Files.Config], logFile, InvocationTimeout, cancellationToken);
        return result.ExitCode == 0
            ? result
            : throw new InvalidOperationException($"`offline-backup {string.Join(' ', arguments)}` exited {result.ExitCode}, expected 0\n{result}\n--- log\n"
                + (File.Exists(logFile) ? await File.ReadAllTextAsync(logFile, cancellationToken) : ""));
    }
}
