using System.Text.Json;
using OfflineBackup.Text;

namespace OfflineBackup.Tests.Cli;

/// <summary>`offline-backup list` end to end, Snapshot Locks, in-use marks and copies included: real parser, real SDK, the EC2 double.</summary>
public sealed class ListCommandTests
{
    private static readonly string[] Fields =
        ["snapshot_id", "state", "progress", "start_time", "age_seconds", "age", "size_gib", "ownership", "verdict", "reason_code", "reason", "consistency"];

    [Fact]
    public async Task List_prints_an_aligned_table_newest_first_with_whose_and_the_verdict()
    {
        await using var c = await RetentionCli.StartAsync(RetentionInventory.Small());
        var deletions = c.ExpectedDeletions();

        var result = await c.RunCleanAsync("list");

        var lines = result.Output.Split('\n');
        Assert.Equal($"volume {RetentionInventory.Volume}: 14 snapshots owned by this account, newest first", lines[0]);
        Assert.Equal($"lock: free ({c.Cli.LockFile})", lines[1]);
        var header = Assert.Single(lines, l => l.StartsWith("SNAPSHOT  ", StringComparison.Ordinal));
        var rows = lines.Where(l => l.StartsWith("snap-", StringComparison.Ordinal)).ToList();
        Assert.Equal(14, rows.Count);

        var starts = rows.Select(r => c.Inventory.Seeds.Single(s => s.SnapshotId == r[..22]).StartTime).ToList();
        Assert.Equal(starts.OrderByDescending(s => s), starts);
        var startColumn = header.IndexOf("STARTED (UTC)", StringComparison.Ordinal);
        var verdictColumn = header.IndexOf("VERDICT", StringComparison.Ordinal);
        var whoseColumn = header.IndexOf("WHOSE", StringComparison.Ordinal);
        foreach (var (row, start) in rows.Zip(starts))
        {
            Assert.Equal(startColumn, row.IndexOf(Durations.Utc(start), StringComparison.Ordinal));
            var verdict = deletions.Contains(row[..22]) ? "delete" : "keep";
            Assert.StartsWith(verdict + " ", row[verdictColumn..], StringComparison.Ordinal);
        }

        Assert.Equal(5, rows.Count(r => r[verdictColumn..].StartsWith("delete", StringComparison.Ordinal)));
        Assert.Equal(3, rows.Count(r => r[whoseColumn..].StartsWith("foreign", StringComparison.Ordinal)));
        var consistencyColumn = header.IndexOf("CONSISTENCY", StringComparison.Ordinal);
        Assert.True(whoseColumn < consistencyColumn && consistencyColumn < verdictColumn, header);
        Assert.All(rows, r => Assert.StartsWith("- ", r[consistencyColumn..], StringComparison.Ordinal));
        Assert.DoesNotContain(RetentionInventory.Id(0x17, 0), result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(RetentionInventory.Id(0x18, 0), result.Output, StringComparison.Ordinal);
        Assert.Contains("retention now: 14 snapshots: delete 5, keep 9 (ours 11, legacy 0, foreign 3; 0 deferred by max_deletes)", lines);
        Assert.Equal(0, c.Ec2.Calls.Count("DeleteSnapshot"));
    }

    [Fact]
    public async Task List_json_is_an_array_of_snapshots_with_stable_snake_case_fields()
    {
        await using var c = await RetentionCli.StartAsync(RetentionInventory.Small());

        var result = await c.RunCleanAsync("list", "--json");

        var rows = JsonDocument.Parse(result.Output).RootElement.EnumerateArray().ToList();
        Assert.Equal(14, rows.Count);
        Assert.All(rows, r => Assert.Equal(Fields, r.EnumerateObject().Select(p => p.Name)));
        var starts = rows.Select(r => DateTimeOffset.Parse(r.GetProperty("start_time").GetString()!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(starts.OrderByDescending(s => s), starts);

        var expired = Row(rows, RetentionInventory.Id(0x12, 0));
        Assert.Equal(("completed", "100%", "2025-05-28T12:00:00.000Z", 345_600L, "4d", 500), (
            expired.GetProperty("state").GetString(), expired.GetProperty("progress").GetString(),
            expired.GetProperty("start_time").GetString(), expired.GetProperty("age_seconds").GetInt64(),
            expired.GetProperty("age").GetString(), expired.GetProperty("size_gib").GetInt32()));
        Assert.Equal(("ours", "delete", "expired", "expired: 4d old > 2d 21h 26m 40s"), Verdict(expired));
        Assert.Equal(("ours", "keep", "pending", "pending: never deleted"), Verdict(Row(rows, RetentionInventory.Id(0x15, 0))));
        Assert.Equal("37%", Row(rows, RetentionInventory.Id(0x15, 0)).GetProperty("progress").GetString());
        Assert.Equal(("ours", "keep", "error", "error: kept for inspection"), Verdict(Row(rows, RetentionInventory.Id(0x16, 0))));
        Assert.Equal("legacy_not_adopted", Verdict(Row(rows, RetentionInventory.Id(0x13, 0))).Item3);
        Assert.Equal(("foreign", "keep", "not_ours", "foreign: no offline-backup ownership tag"), Verdict(Row(rows, RetentionInventory.Id(0x14, 0))));
        Assert.Equal("newest_kept", Verdict(Row(rows, RetentionInventory.Id(0x11, 0))).Item3);
        Assert.All(rows, r => Assert.Equal("-", r.GetProperty("consistency").GetString()));
    }

    [Fact]
    public async Task List_with_adopt_legacy_marks_the_original_tools_snapshots_as_legacy()
    {
        await using var c = await RetentionCli.StartAsync(RetentionInventory.Small(), adoptLegacy: true);

        var rows = JsonDocument.Parse((await c.RunAsync("list", "--json")).Output).RootElement.EnumerateArray().ToList();

        Assert.Equal(("legacy", "delete", "expired", "expired: 10d old > 2d 21h 26m 40s"), Verdict(Row(rows, RetentionInventory.Id(0x13, 0))));
    }

    [Fact]
    public async Task List_over_2500_snapshots_reads_every_page_once_and_changes_nothing()
    {
        await using var c = await RetentionCli.StartAsync(RetentionInventory.Large());

        var result = await c.RunAsync("list", "--json");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(c.Inventory.SweepCount, JsonDocument.Parse(result.Output).RootElement.GetArrayLength());
        Assert.Equal(3, c.Ec2.Calls.Count("DescribeSnapshots"));
        Assert.Equal(1, c.Ec2.Calls.Count("DescribeLockedSnapshots"));
        Assert.All(c.Ec2.Calls.All, call => Assert.Contains(call.Action, new[] { "DescribeSnapshots", "DescribeLockedSnapshots" }));
        Assert.Equal(c.AllIds(), c.Remaining());
    }

    [Theory]
    [InlineData("DescribeSnapshots")]
    [InlineData("DescribeLockedSnapshots")]
    public async Task List_with_a_describe_call_denied_exits_11_naming_it(string action)
    {
        await using var c = await RetentionCli.StartAsync(RetentionInventory.Small());
        c.Ec2.Faults.Deny(action);

        var result = await c.RunAsync("list");

        Assert.Equal(ExitCodes.PermissionDenied, result.ExitCode);
        Assert.Equal(string.Empty, result.Output);
        Assert.StartsWith($"offline-backup list: ec2:{action} denied:", result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_shows_a_locked_and_an_in_use_snapshot_as_kept_with_why()
    {
        await using var c = await RetentionCli.StartAsync(RetentionInventory.Small());
        var candidates = c.ExpectedDeletions();
        c.Ec2.LockSnapshot(candidates[0], "compliance", new DateTimeOffset(2099, 1, 2, 3, 4, 5, TimeSpan.Zero));
        c.Ec2.Seed(new SnapshotSeed("snap-19000000000000001", RetentionInventory.Volume, RetentionInventory.Now.AddDays(-9))
        {
            Tags = new Dictionary<string, string>(c.Ec2.Snapshot(candidates[1])!.Tags)
            {
                [ToolTags.InUse] = "ami-0123456789abcdef0 at 2025-05-31T12:00:00Z",
            },
        });

        var text = await c.RunAsync("list");
        var json = await c.RunAsync("list", "--json");

        Assert.Equal((ExitCodes.Success, ExitCodes.Success), (text.ExitCode, json.ExitCode));
        var lockedRow = Assert.Single(text.Output.Split('\n'), l => l.StartsWith(candidates[0], StringComparison.Ordinal));
        Assert.EndsWith("keep     locked (compliance until 2099-01-02 03:04:05Z): never deleted", lockedRow, StringComparison.Ordinal);
        var rows = JsonDocument.Parse(json.Output).RootElement.EnumerateArray().ToList();
        var inUse = rows.Single(r => r.GetProperty("snapshot_id").GetString() == "snap-19000000000000001");
        Assert.Equal(("keep", "in_use", "in use by ami-0123456789abcdef0 (found 2025-05-31 12:00:00Z; tried again after 2025-06-07 12:00:00Z)"), (
            inUse.GetProperty("verdict").GetString(), inUse.GetProperty("reason_code").GetString(), inUse.GetProperty("reason").GetString()));
        Assert.Equal("locked", rows.Single(r => r.GetProperty("snapshot_id").GetString() == candidates[0]).GetProperty("reason_code").GetString());
        Assert.Equal(0, c.Ec2.Calls.Count("DeleteSnapshot"));
        Assert.Equal(0, c.Ec2.Calls.Count("CreateTags"));
    }

    [Fact]
    public async Task List_shows_the_copies_in_the_copy_region_with_their_source_in_text_only()
    {
        await using var c = await RetentionCli.StartAsync(RetentionInventory.Small(), copyRegion: "eu-central-1");
        var tags = new Dictionary<string, string>(c.Ec2.Snapshot(RetentionInventory.Id(0x11, 0))!.Tags)
        {
            [ToolTags.SourceSnapshot] = RetentionInventory.Id(0x11, 0),
            [ToolTags.SourceRegion] = "us-east-1",
        };
        c.Ec2.SeedIn("eu-central-1", new SnapshotSeed("snap-1c000000000000001", "vol-ffffffff", RetentionInventory.Now.AddHours(-1)) { Tags = tags });

        var text = await c.RunAsync("list");
        var json = await c.RunAsync("list", "--json");

        Assert.Equal((ExitCodes.Success, ExitCodes.Success), (text.ExitCode, json.ExitCode));
        var lines = text.Output.Split('\n');
        Assert.Contains("copies in eu-central-1: 1, newest first", lines);
        var row = Assert.Single(lines, l => l.StartsWith("snap-1c000000000000001", StringComparison.Ordinal));
        Assert.Contains($"{RetentionInventory.Id(0x11, 0)} (us-east-1)", row, StringComparison.Ordinal);
        Assert.Contains("keep", row, StringComparison.Ordinal);
        Assert.DoesNotContain("snap-1c000000000000001", json.Output, StringComparison.Ordinal);
        Assert.All(c.Ec2.Calls.Of("DescribeSnapshots"), call => Assert.Contains(call.Request.Region, new[] { "us-east-1", "eu-central-1" }));
        Assert.Equal(0, c.Ec2.Calls.Count("DeleteSnapshot") + c.Ec2.Calls.Count("CopySnapshot"));
    }

    private static JsonElement Row(List<JsonElement> rows, string id) => rows.Single(r => r.GetProperty("snapshot_id").GetString() == id);

    private static (string?, string?, string?, string?) Verdict(JsonElement row) => (
        row.GetProperty("ownership").GetString(),
        row.GetProperty("verdict").GetString(),
        row.GetProperty("reason_code").GetString(),
        row.GetProperty("reason").GetString());
}
