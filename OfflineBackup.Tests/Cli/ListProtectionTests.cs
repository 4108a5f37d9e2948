using System.Text.Json;

namespace OfflineBackup.Tests.Cli;

/// <summary>`offline-backup list` shows Snapshot Locks and the in-use mark: real parser, real SDK, the EC2 double.</summary>
public sealed class ListProtectionTests
{
    [Fact]
    public async Task List_shows_a_locked_and_an_in_use_snapshot_as_kept_with_why()
    {
        await using var c = await RetentionCli.StartAsync(RetentionInventory.Small());
        var candidates = c.ExpectedDeletions();
        c.Ec2.LockSnapshot(candidates[0], "compliance", new DateTimeOffset(2099, 1, 2, 3, 4, 5, TimeSpan.Zero));
        c.Ec2.Seed(new OfflineBackup.Sandbox.Ec2Double.SnapshotSeed("snap-19000000000000001", RetentionInventory.Volume, RetentionInventory.Now.AddDays(-9))
        {
            Tags = new Dictionary<string, string>(c.Ec2.Snapshot(candidates[1])!.Tags)
            {
                [OwnershipTags.InUse] = "ami-0123456789abcdef0 at 2025-05-31T12:00:00Z",
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
            [OwnershipTags.SourceSnapshot] = RetentionInventory.Id(0x11, 0),
            [OwnershipTags.SourceRegion] = "us-east-1",
        };
        c.Ec2.SeedIn("eu-central-1", new OfflineBackup.Sandbox.Ec2Double.SnapshotSeed("snap-1c000000000000001", "vol-ffffffff", RetentionInventory.Now.AddHours(-1)) { Tags = tags });

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
}
