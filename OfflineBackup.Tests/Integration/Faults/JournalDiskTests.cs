namespace OfflineBackup.Tests.Integration.Faults;

/// <summary>
/// The state journal on a real filesystem that is, or becomes, read-only or full: exit 14 with
/// the journal named, never a bug, and MySQL never left down. A journal that cannot be written
/// is found by the journal-write guard before anything is stopped.
/// </summary>
[Collection(MariaDbLostAnswerCollection.Name)]
public sealed class JournalDiskTests(MariaDbPairFixture fixture)
{
    private MariaDbReplicationPair Pair => fixture.Pair;

    public static TheoryData<string> Breakages => ["read-only", "full"];

    [Theory]
    [MemberData(nameof(Breakages))]
    public async Task A_journal_that_cannot_be_written_refuses_before_anything_is_stopped(string breakage)
    {
        using var disk = SmallFilesystem.Mount();
        await using var world = await TestWorld.StartAsync(Pair, c => c with { JournalFile = disk.File("journal.json") });
        Break(disk, breakage);

        var check = await world.Cli.RunAsync("check");
        var run = await world.Cli.RunAsync("run");

        Assert.True(check.ExitCode == ExitCodes.JournalFailed, check.ToString());
        Assert.Contains("journal-write", check.Output);
        Assert.Contains(disk.File("journal.json"), check.Output);
        Assert.True(run.ExitCode == ExitCodes.JournalFailed, run.ToString());
        Assert.Contains("state.journal_path", run.Error);
        Assert.Empty(world.PortClosedAtCreate);
        Assert.Empty(world.Ec2.Snapshots());
        Assert.True(await Pair.IsReplicaUpAsync(CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Breakages))]
    public async Task A_journal_that_breaks_after_the_stop_never_leaves_MySQL_down(string breakage)
    {
        using var disk = SmallFilesystem.Mount();
        await using var world = await TestWorld.StartAsync(Pair, c => c with
        {
            JournalFile = disk.File("journal.json"),
            StopCommand = $"{(breakage == "full" ? disk.FillCommand : disk.ReadOnlyCommand)}; {ServiceCommands.Stop(Pair.Replica)}",
        });

        var run = await world.Cli.RunAsync("run");

        Assert.True(run.ExitCode == ExitCodes.JournalFailed, run.ToString());
        Assert.Contains("state.journal_path", run.Error);
        Assert.DoesNotContain("internal error", run.Error);
        Assert.True(await Pair.IsReplicaUpAsync(CancellationToken.None), "MySQL was left down");
        Assert.True(await world.ReplicationRunsAsync());
        Assert.Empty(world.Ec2.Snapshots());

        // The disk repaired, the next run finishes the interrupted one and takes the backup.
        if (breakage == "full")
        {
            disk.Unfill();
        }
        else
        {
            disk.MakeWritable();
        }

        await world.RewriteAsync(c => c with { JournalFile = disk.File("journal.json") });
        var next = await world.Cli.RunAsync("run");

        Assert.True(next.ExitCode == ExitCodes.Success, next.ToString());
        Assert.Single(world.Ec2.Snapshots());
        Assert.False(File.Exists(disk.File("journal.json")));
        Assert.True(await Pair.IsReplicaUpAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_journal_path_that_is_a_directory_is_exit_14_in_check_and_run()
    {
        await using var world = await TestWorld.StartAsync(Pair);
        Directory.CreateDirectory(world.Files.Journal);

        var check = await world.Cli.RunAsync("check");
        var run = await world.Cli.RunAsync("run");

        Assert.True(check.ExitCode == ExitCodes.JournalFailed, check.ToString());
        Assert.Contains("is a directory", check.Output);
        Assert.True(run.ExitCode == ExitCodes.JournalFailed, run.ToString());
        Assert.Contains("is a directory", run.Error);
        Assert.Empty(world.PortClosedAtCreate);
    }

    private static void Break(SmallFilesystem disk, string breakage)
    {
        if (breakage == "full")
        {
            disk.Fill();
        }
        else
        {
            disk.MakeReadOnly();
        }
    }
}
