using System.Text.Json;
using Amazon.Runtime;
using OfflineBackup.Text;

namespace OfflineBackup.Tests.Cli;

/// <summary>`offline-backup prune` end to end: real parser, real SDK, the EC2 double.</summary>
public sealed class PruneCommandTests
{
    [Fact]
    public async Task Prune_prints_what_it_deleted_and_why_it_kept_the_rest_and_logs_every_deletion()
    {
        await using var c = await RetentionCli.StartAsync(RetentionInventory.Small());
        var expected = c.ExpectedDeletions();

        var result = await c.RunCleanAsync("prune");

        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"prune {RetentionInventory.Volume}: 14 snapshots, 5 to delete", lines[0]);
        Assert.Equal("deleted 5:", lines[1]);
        Assert.Equal(expected, lines.Skip(2).Take(5).Select(l => l.Trim().Split("  ")[0]));
        Assert.All(lines.Skip(2).Take(5), l => Assert.Contains(" ours    expired: ", l, StringComparison.Ordinal));
        Assert.Equal("kept 9: 3 newest (min_keep); 1 younger than retention; 1 pending; 1 in error state; "
            + "2 legacy (adopt_legacy is off); 1 foreign", lines[7]);
        Assert.StartsWith($"result: retention of {RetentionInventory.Volume}: deleted 5 of 5 planned", lines[8], StringComparison.Ordinal);
        Assert.EndsWith("(exit 0)", lines[8], StringComparison.Ordinal);
        Assert.Equal(9, lines.Length);

        Assert.Equal(expected, c.RealDeleteCalls());
        Assert.Equal(RetentionStepFixture.Without(c.AllIds(), expected), c.Remaining());
        var log = c.LogEntries();
        foreach (var id in expected)
        {
            var seed = c.Inventory.Seeds.Single(s => s.SnapshotId == id);
            var entry = Assert.Single(log, e => e.GetProperty("message").GetString()!.StartsWith($"deleting {id}:", StringComparison.Ordinal));
            Assert.Equal("retention", entry.GetProperty("step").GetString());
            Assert.Equal(id, entry.GetProperty("snapshot").GetString());
            Assert.StartsWith($"deleting {id}: started {Durations.Utc(seed.StartTime)}, ", entry.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Contains(" old, ours: expired: ", entry.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Single(log, e => e.GetProperty("message").GetString() == $"deleted {id}" && e.GetProperty("snapshot").GetString() == id);
        }
    }

    [Fact]
    public async Task Prune_json_is_one_document_with_the_deletions_the_kept_counts_and_the_whole_plan()
    {
        await using var c = await RetentionCli.StartAsync(RetentionInventory.Small(), adoptLegacy: true);
        var expected = c.ExpectedDeletions();
        Assert.Equal(7, expected.Count);

        var result = await c.RunAsync("prune", "--json");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        var doc = JsonDocument.Parse(result.Output).RootElement;
        Assert.Equal(0, doc.GetProperty("exit_code").GetInt32());
        Assert.False(doc.GetProperty("dry_run").GetBoolean());
        Assert.Equal(JsonValueKind.Null, doc.GetProperty("refused").ValueKind);
        Assert.Equal(expected, Ids(doc.GetProperty("planned_deletions")));
        Assert.Equal(expected, DeletedIds(doc));
        Assert.Equal(0, doc.GetProperty("failed").GetArrayLength());
        Assert.Equal(3, doc.GetProperty("kept").GetProperty("newest_kept").GetInt32());
        var snapshots = doc.GetProperty("snapshots").EnumerateArray().ToList();
        Assert.Equal(14, snapshots.Count);
        Assert.Equal(2, snapshots.Count(s => s.GetProperty("ownership").GetString() == "legacy" && s.GetProperty("verdict").GetString() == "delete"));
        Assert.Equal(expected, c.RealDeleteCalls());
    }

    [Fact]
    public async Task Dry_run_over_2500_snapshots_prints_every_one_deletes_nothing_and_probes_the_first_candidate()
    {
        await using var c = await RetentionCli.StartAsync(RetentionInventory.Large());
        var expected = c.ExpectedDeletions();

        var result = await c.RunCleanAsync("prune", "--dry-run");

        var lines = result.Output.Split('\n');
        Assert.Equal(c.Inventory.SweepCount, lines.Count(l => l.StartsWith("snap-", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.StartsWith("SNAPSHOT  ", StringComparison.Ordinal));
        Assert.Contains($"a real prune would delete 10, oldest first: {string.Join(", ", expected)}", lines);
        Assert.Contains($"DeleteSnapshot permission: allowed (DryRun DeleteSnapshot of {expected[0]}): Request would have succeeded, but DryRun flag is set.", lines);
        var probe = Assert.Single(c.Ec2.Calls.Of("DeleteSnapshot"));
        Assert.True(probe.DryRun);
        Assert.Equal(expected[0], probe.Request.Parameter("SnapshotId"));
        Assert.Equal(c.AllIds(), c.Remaining());
        Assert.Equal(3, c.Ec2.Calls.Count("DescribeSnapshots"));
    }

    [Fact]
    public async Task Dry_run_with_DeleteSnapshot_denied_exits_11()
    {
        await using var c = await RetentionCli.StartAsync(RetentionInventory.Small());
        c.Ec2.Faults.Deny("DeleteSnapshot");

        var result = await c.RunAsync("prune", "--dry-run", "--json");

        Assert.Equal(ExitCodes.PermissionDenied, result.ExitCode);
        var permission = JsonDocument.Parse(result.Output).RootElement.GetProperty("delete_permission");
        Assert.Equal("denied", permission.GetProperty("outcome").GetString());
        Assert.Contains("not authorized to perform: ec2:DeleteSnapshot", permission.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("offline-backup prune: exit 11 (", result.Error, StringComparison.Ordinal);
        Assert.Empty(c.RealDeleteCalls());
        Assert.Equal(c.AllIds(), c.Remaining());
    }

    [Fact]
    public async Task Denied_DeleteSnapshot_stops_the_prune_at_the_first_deletion_with_exit_11()
    {
        await using var c = await RetentionCli.StartAsync(RetentionInventory.Small());
        var expected = c.ExpectedDeletions();
        c.Ec2.Faults.Deny("DeleteSnapshot");

        var result = await c.RunAsync("prune", "--json");

        Assert.Equal(ExitCodes.PermissionDenied, result.ExitCode);
        var doc = JsonDocument.Parse(result.Output).RootElement;
        var failed = Assert.Single(doc.GetProperty("failed").EnumerateArray());
        Assert.Equal(expected[0], failed.GetProperty("snapshot_id").GetString());
        Assert.Equal("UnauthorizedOperation", failed.GetProperty("error_code").GetString());
        Assert.Equal(expected.Skip(1), Ids(doc.GetProperty("not_attempted")));
        Assert.Equal([expected[0]], c.RealDeleteCalls());
        Assert.Contains($"not deleted: {expected[0]}; 4 more not attempted", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deletion_failing_with_500s_exits_10_naming_it_and_the_others_are_deleted()
    {
        await using var c = await RetentionCli.StartAsync(RetentionInventory.Small());
        var expected = c.ExpectedDeletions();
        c.Ec2.Faults.FailNext("DeleteSnapshot", 3, Ec2Fault.InternalError());

        var result = await c.RunAsync("prune");

        Assert.Equal(ExitCodes.RetentionIncomplete, result.ExitCode);
        Assert.Contains($"FAILED: {expected[0]} not deleted: ec2:DeleteSnapshot failed: InternalError", result.Output, StringComparison.Ordinal);
        var last = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        Assert.StartsWith($"offline-backup prune: exit 10 (retention could not delete some expired snapshots): not deleted: {expected[0]}.", last, StringComparison.Ordinal);
        Assert.Equal(RetentionStepFixture.Without(c.AllIds(), expected.Skip(1)), c.Remaining());
    }

    [Fact]
    public async Task A_snapshot_backing_an_AMI_is_a_warning_naming_the_image_not_a_failure()
    {
        await using var c = await RetentionCli.StartAsync(RetentionInventory.Small());
        var expected = c.ExpectedDeletions();
        c.Ec2.MarkInUse(expected[1], "ami-0feedfacecafe0001");

        var result = await c.RunAsync("prune");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        var warning = $"{expected[1]} not deleted: in use by ami-0feedfacecafe0001; deregister the image to let retention delete it";
        Assert.Contains($"warning: {warning}", result.Output.Split('\n'));
        Assert.Contains($"offline-backup: warning: {warning}", result.Error, StringComparison.Ordinal);
        Assert.Equal(RetentionStepFixture.Without(c.AllIds(), expected.Where((_, i) => i != 1)), c.Remaining());
    }

    [Fact]
    public async Task Throttling_in_the_middle_of_a_prune_is_waited_out_and_every_deletion_goes_through()
    {
        await using var c = await RetentionCli.StartAsync(RetentionInventory.Small());
        var expected = c.ExpectedDeletions();
        using var client = Ec2Harness.CreateClient(c.Ec2, DummyAws.Credentials);
        var store = new HookedSnapshotStore(new Ec2SnapshotStore(client));
        store.BeforeFirstDeleteOf(expected[2], () => c.Ec2.Faults.FailNext("DeleteSnapshot", 4, Ec2Fault.RequestLimitExceeded()));
        using var cli = c.HarnessWith(store);

        var result = await cli.RunAsync("prune", "--json");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(expected, Ids(JsonDocument.Parse(result.Output).RootElement.GetProperty("planned_deletions")));
        Assert.Equal([.. expected.Take(2), .. Enumerable.Repeat(expected[2], 5), .. expected.Skip(3)], c.RealDeleteCalls());
        Assert.Equal(RetentionStepFixture.Without(c.AllIds(), expected), c.Remaining());
    }

    [Fact]
    public async Task Max_deletes_from_the_config_spreads_the_backlog_and_a_prune_with_nothing_left_deletes_nothing()
    {
        await using var c = await RetentionCli.StartAsync(RetentionInventory.Small(), maxDeletes: 2);
        var all = c.Inventory.ExpectedDeletions(10, adoptLegacy: false);

        var first = JsonDocument.Parse((await c.RunAsync("prune", "--json")).Output).RootElement;
        await c.RunAsync("prune");
        await c.RunAsync("prune");
        var callsBefore = c.RealDeleteCalls().Count;
        var last = await c.RunAsync("prune");

        Assert.Equal(all.Take(2), DeletedIds(first));
        Assert.Equal(3, first.GetProperty("kept").GetProperty("over_max_deletes").GetInt32());
        Assert.Equal(all, c.RealDeleteCalls());
        Assert.Equal(5, callsBefore);
        Assert.Equal(ExitCodes.Success, last.ExitCode);
        Assert.DoesNotContain("deleted ", last.Output.Split('\n')[1], StringComparison.Ordinal);
        Assert.Contains(": 9 snapshots, 0 to delete", last.Output, StringComparison.Ordinal);
        Assert.Equal(RetentionStepFixture.Without(c.AllIds(), all), c.Remaining());
    }

    private static List<string> Ids(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToList();

    private static List<string> DeletedIds(JsonElement doc) =>
        doc.GetProperty("deleted").EnumerateArray().Select(d => d.GetProperty("snapshot_id").GetString()!).ToList();
}
