using OfflineBackup.Aws;
using OfflineBackup.Errors;
using OfflineBackup.Sandbox.Testing;

namespace OfflineBackup.Sandbox.SandboxCommand;

/// <summary>
/// The main job for real, then a look at what it did: `run` (the replica really stops, the
/// snapshot is taken, the replica starts and replicates again, retention runs), `list` and
/// `check`, each as the tool prints it. Then the sandbox checks the outcome against the two
/// worlds themselves and says what it found.
/// </summary>
internal sealed class SandboxScenario(ToolWorld world, SandboxTool tool, TextWriter output)
{
    private readonly List<string> _problems = [];

    /// <summary>0 when everything went as it should; else the run's code, or 1.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var seeded = world.Ec2.Snapshots().Select(s => s.SnapshotId).ToHashSet(StringComparer.Ordinal);
        var lastRow = await world.Pair.WriteOnPrimaryAsync(RestoreProof.Note, cancellationToken);
        await world.Pair.WaitForReplicaCaughtUpAsync(cancellationToken);

        ToolResult run;
        try
        {
            run = await tool.RunAsync("run", cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C: the tool has had its chance to start MySQL again; show that it did.
            var up = await world.Pair.IsReplicaUpAsync(CancellationToken.None);
            await output.WriteLineAsync($"sandbox: after the interrupted run the replica is {(up ? "up" : "DOWN")}");
            throw;
        }

        var list = await tool.RunAsync("list", cancellationToken);
        var check = await tool.RunAsync("check", cancellationToken);
        await output.WriteLineAsync();

        Expect(run.ExitCode == ExitCodes.Success, $"run exited {run.ExitCode}, expected 0");
        Expect(run.Error.Length == 0, "a successful run printed on stderr");
        Expect(list.ExitCode == ExitCodes.Success, $"list exited {list.ExitCode}, expected 0");
        Expect(check.ExitCode == ExitCodes.NotDue, $"check exited {check.ExitCode}, expected 4 (not due: the snapshot is new)");
        await ReportSnapshotAsync(seeded, run, list);
        await ReportRetentionAsync(seeded);
        await ReportCopyAsync(seeded);
        await ReportReplicaAsync(cancellationToken);
        await ReportLogAsync(cancellationToken);
        if (world.Ec2.Snapshots().Where(s => !seeded.Contains(s.SnapshotId)).ToList() is [{ State: "completed" } made])
        {
            Expect(await RestoreProof.ReportAsync(world, made.SnapshotId, lastRow, output, cancellationToken), "the snapshot did not restore");
        }
        Expect(world.Ec2.ServerErrors.Count == 0, $"the EC2 double failed: {string.Join("; ", world.Ec2.ServerErrors.Select(e => e.Message))}");

        foreach (var problem in _problems)
        {
            await output.WriteLineAsync($"sandbox: PROBLEM: {problem}");
        }

        if (_problems.Count == 0)
        {
            await output.WriteLineAsync("sandbox: OK: run exit 0, list exit 0, check exit 4 (not due)");
            return 0;
        }

        return run.ExitCode != ExitCodes.Success ? run.ExitCode : ExitCodes.InternalError;
    }

    private async Task ReportSnapshotAsync(HashSet<string> seeded, ToolResult run, ToolResult list)
    {
        var made = world.Ec2.Snapshots().Where(s => !seeded.Contains(s.SnapshotId)).ToList();
        Expect(made.Count == 1, $"the run made {made.Count} snapshots, expected 1");
        if (made.Count != 1)
        {
            return;
        }

        var snapshot = made[0];
        var closed = world.PortClosedAtCreate is [true];
        await output.WriteLineAsync(
            $"sandbox: snapshot {snapshot.SnapshotId} of {snapshot.VolumeId} is {snapshot.State}; "
            + $"the replica was {(closed ? "down" : "NOT down")} when CreateSnapshot arrived; "
            + $"tagged {ToolTags.CreatedBy}={snapshot.Tags.GetValueOrDefault(ToolTags.CreatedBy)}, "
            + $"{ToolTags.Name}={snapshot.Tags.GetValueOrDefault(ToolTags.Name)}");
        Expect(snapshot.State == "completed", $"snapshot {snapshot.SnapshotId} is {snapshot.State}, expected completed");
        Expect(closed, "the replica's port was open when CreateSnapshot arrived");
        Expect(snapshot.Tags.GetValueOrDefault(ToolTags.CreatedBy) == ToolTags.CreatedByValue, "the snapshot lacks the ownership tag");
        Expect(run.Output.Contains(snapshot.SnapshotId, StringComparison.Ordinal), "run did not name the snapshot");
        Expect(list.Output.Contains(snapshot.SnapshotId, StringComparison.Ordinal), "list did not show the snapshot");
    }

    private async Task ReportRetentionAsync(HashSet<string> seeded)
    {
        var left = world.Ec2.Snapshots().Select(s => s.SnapshotId).ToHashSet(StringComparer.Ordinal);
        var deleted = seeded.Where(id => !left.Contains(id)).Order(StringComparer.Ordinal).ToList();
        var notOursGone = SandboxHistory.NotOurs.Where(id => !left.Contains(id)).ToList();
        await output.WriteLineAsync(
            $"sandbox: retention deleted {(deleted.Count == 0 ? "nothing" : string.Join(", ", deleted))}; "
            + $"kept {SandboxHistory.LegacyId} (the original script's) and {SandboxHistory.ByHandId} (taken by hand): not ours");
        Expect(notOursGone.Count == 0, $"deleted snapshots that are not ours: {string.Join(", ", notOursGone)}");
    }

    private async Task ReportCopyAsync(HashSet<string> seeded)
    {
        var made = world.Ec2.Snapshots().Where(s => !seeded.Contains(s.SnapshotId)).Select(s => s.SnapshotId).ToList();
        var copies = world.Ec2.SnapshotsIn(SandboxSite.CopyRegion);
        var copy = copies.FirstOrDefault(c => made.Contains(c.Tags.GetValueOrDefault(ToolTags.SourceSnapshot) ?? string.Empty));
        await output.WriteLineAsync(copy is null
            ? $"sandbox: no copy of the new snapshot in {SandboxSite.CopyRegion}"
            : $"sandbox: copy {copy.SnapshotId} of {copy.Tags[ToolTags.SourceSnapshot]} in {SandboxSite.CopyRegion} is {copy.State} "
                + $"(volume id {copy.VolumeId}, as AWS gives copies); {copies.Count} copies there in all");
        Expect(copy is not null, $"the run made no copy of its snapshot in {SandboxSite.CopyRegion}");
    }

    private async Task ReportReplicaAsync(CancellationToken cancellationToken)
    {
        var pair = world.Pair;
        var up = await pair.IsReplicaUpAsync(cancellationToken);
        Expect(up, "the replica is not running");
        if (!up)
        {
            return;
        }

        var row = await pair.WriteOnPrimaryAsync("written after the sandbox run", cancellationToken);
        await pair.WaitForReplicaCaughtUpAsync(cancellationToken);
        var replicated = await pair.ReplicaHasRowAsync(row, cancellationToken);
        Expect(replicated, "a row written on the primary after the run did not reach the replica");
        await output.WriteLineAsync(
            $"sandbox: the replica is up and replicating: a row written on the primary after the run {(replicated ? "reached" : "did NOT reach")} it");
    }

    private async Task ReportLogAsync(CancellationToken cancellationToken)
    {
        var log = world.Files.Log;
        var lines = File.Exists(log) ? await File.ReadAllLinesAsync(log, cancellationToken) : [];
        Expect(lines.Length > 0, $"nothing was logged to {log}");
        var timings = lines.LastOrDefault(l => l.Contains("timings", StringComparison.Ordinal)) ?? lines.LastOrDefault();
        await output.WriteLineAsync($"sandbox: the log {log} has {lines.Length} JSON lines, e.g.:");
        await output.WriteLineAsync(timings ?? "(none)");
    }

    private void Expect(bool condition, string problem)
    {
        if (!condition)
        {
            _problems.Add(problem);
        }
    }
}
