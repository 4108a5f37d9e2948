using System.Text.Json;
using Amazon.Runtime;

namespace OfflineBackup.Tests.Cli;

/// <summary>prune refuses while another run holds the lock or an interrupted run awaits recovery; list still answers.</summary>
public sealed class RetentionRefusalTests
{
    [Fact]
    public async Task With_the_lock_held_elsewhere_prune_exits_3_naming_the_holder_and_touches_nothing_while_list_still_works()
    {
        await using var c = await RetentionCli.StartAsync(RetentionInventory.Small());
        using var held = RunLock.TryAcquire(c.Cli.LockFile, RetentionInventory.Now, out _);
        Assert.NotNull(held);
        var holder = $"PID {Environment.ProcessId} on {Environment.MachineName}, started 2025-06-01T12:00:00Z";

        var prune = await c.RunAsync("prune");
        var pruneJson = await c.RunAsync("prune", "--json");
        var dryRun = await c.RunAsync("prune", "--dry-run");
        var callsAfterPrune = c.Ec2.Calls.All.Count;
        var list = await c.RunAsync("list");
        var listJson = await c.RunAsync("list", "--json");

        Assert.Equal(ExitCodes.Locked, prune.ExitCode);
        Assert.Equal(string.Empty, prune.Output);
        Assert.Equal(
            $"offline-backup prune: exit 3 (another run holds the lock): nothing deleted: another run holds {c.Cli.LockFile}: {holder}",
            prune.Error.Trim());
        Assert.Equal(ExitCodes.Locked, pruneJson.ExitCode);
        var refusal = JsonDocument.Parse(pruneJson.Output).RootElement;
        Assert.Equal(3, refusal.GetProperty("exit_code").GetInt32());
        Assert.Contains(holder, refusal.GetProperty("refused").GetString(), StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Locked, dryRun.ExitCode);
        Assert.Equal(0, callsAfterPrune);

        Assert.Equal(ExitCodes.Success, list.ExitCode);
        Assert.Contains($"lock: held by {holder} ({c.Cli.LockFile})", list.Output.Split('\n'));
        Assert.Equal(14, list.Output.Split('\n').Count(l => l.StartsWith("snap-", StringComparison.Ordinal)));
        Assert.Equal(ExitCodes.Success, listJson.ExitCode);
        Assert.Equal(14, JsonDocument.Parse(listJson.Output).RootElement.GetArrayLength());
        Assert.Equal($"offline-backup list: lock: held by {holder} ({c.Cli.LockFile})", listJson.Error.Trim());
        Assert.Equal(c.AllIds(), c.Remaining());
    }

    [Fact]
    public async Task An_interrupted_run_journal_makes_prune_exit_12_and_list_shows_it()
    {
        await using var c = await RetentionCli.StartAsync(RetentionInventory.Small());
        new RunJournal(c.Cli.JournalFile).Write(new JournalEntry(
            "run-crashed", 4242, RunPhase.WaitingForSnapshot, RetentionInventory.Now.AddHours(-2), RetentionInventory.Volume,
            [""], RetentionInventory.Now.AddHours(-2), "snap-0abcdef0123456789", RetentionInventory.Now.AddHours(-2)));

        var prune = await c.RunAsync("prune");
        var dryRun = await c.RunAsync("prune", "--dry-run");
        var callsAfterPrune = c.Ec2.Calls.All.Count;
        var list = await c.RunAsync("list");
        var listJson = await c.RunAsync("list", "--json");

        Assert.Equal(ExitCodes.InterruptedRunPending, prune.ExitCode);
        Assert.Contains("run run-crashed (PID 4242) was interrupted during WaitingForSnapshot", prune.Error, StringComparison.Ordinal);
        Assert.Contains("MySQL may be stopped", prune.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.InterruptedRunPending, dryRun.ExitCode);
        Assert.Equal(0, callsAfterPrune);

        var note = "interrupted run: run-crashed (PID 4242) stopped during WaitingForSnapshot, started 2025-06-01 10:00:00Z, "
            + "snapshot snap-0abcdef0123456789: MySQL may be stopped; `offline-backup run` recovers it";
        Assert.Equal(ExitCodes.Success, list.ExitCode);
        Assert.Contains(note, list.Output.Split('\n'));
        Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(listJson.Output).RootElement.ValueKind);
        Assert.Equal($"offline-backup list: {note}", listJson.Error.Trim());
        Assert.Equal(c.AllIds(), c.Remaining());
    }

    [Fact]
    public async Task Prune_holds_the_lock_while_it_deletes_and_releases_it_after_while_list_never_keeps_it()
    {
        await using var c = await RetentionCli.StartAsync(RetentionInventory.Small());
        var first = c.ExpectedDeletions()[0];
        using var client = Ec2Harness.CreateClient(c.Ec2, DummyAws.Credentials);
        var store = new HookedSnapshotStore(new Ec2SnapshotStore(client));
        using var cli = c.HarnessWith(store);
        var holders = new List<string?>();
        void Probe() => holders.Add(RunLock.CurrentHolder(cli.LockFile));
        store.BeforeList = Probe;
        store.BeforeFirstDeleteOf(first, Probe);

        var list = await cli.RunAsync("list");
        var prune = await cli.RunAsync("prune");
        var after = RunLock.CurrentHolder(cli.LockFile);

        Assert.Equal((ExitCodes.Success, ExitCodes.Success), (list.ExitCode, prune.ExitCode));
        Assert.Equal(3, holders.Count);
        Assert.Null(holders[0]);
        Assert.StartsWith($"PID {Environment.ProcessId} on ", holders[1], StringComparison.Ordinal);
        Assert.Equal(holders[1], holders[2]);
        Assert.Null(after);
    }
}
