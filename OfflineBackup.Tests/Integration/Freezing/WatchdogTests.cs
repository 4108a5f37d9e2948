using System.Diagnostics;
using OfflineBackup.Freezing;
using OfflineBackup.Platform;

namespace OfflineBackup.Tests.Integration.Freezing;

/// <summary>
/// The watchdog without its owner. The owner is a process of its own (<see cref="FreezeOwner"/>),
/// in a process group of its own, so the whole group can be stopped or killed as a cron job's
/// would be, while the test watches a writer in another process.
/// </summary>
public sealed class WatchdogTests(ITestOutputHelper log)
{
    [Fact]
    public async Task Owner_SIGKILLed_with_its_group_the_watchdog_thaws_at_once_and_well_within_the_deadline()
    {
        await using var owner = await FreezeOwner.StartAsync(seconds: 20);
        var record = await owner.FrozenAsync();
        using var writer = await owner.Volume.StartBlockedWriterAsync("during");

        owner.SignalGroup(LibC.SigKill);
        var killed = Stopwatch.StartNew();

        // Within deadline + 1 s as promised; in fact at once: the owner's end of the pipe closed.
        Assert.Equal(0, await writer.WaitAsync(FreezeOwner.Until(record.Deadline + TimeSpan.FromSeconds(1))));
        log.WriteLine($"writable {killed.Elapsed.TotalMilliseconds:0} ms after the SIGKILL; deadline was {(record.Deadline - DateTimeOffset.UtcNow).TotalSeconds:0.0} s away");
        Assert.True(DateTimeOffset.UtcNow < record.Deadline - TimeSpan.FromSeconds(10), "thawed by the deadline, not by the owner's death");
        await FreezeOwner.WaitGoneAsync(record.WatchdogPid);
    }

    [Fact]
    public async Task Owner_stopped_and_hung_the_watchdog_thaws_at_the_deadline_and_not_before()
    {
        await using var owner = await FreezeOwner.StartAsync(seconds: 3);
        var record = await owner.FrozenAsync();
        using var writer = await owner.HangAsync();

        Assert.Equal(0, await writer.WaitAsync(FreezeOwner.Until(record.Deadline + TimeSpan.FromSeconds(1))));
        var late = DateTimeOffset.UtcNow - record.Deadline;
        log.WriteLine($"writable {late.TotalMilliseconds:0} ms after the recorded deadline");
        Assert.True(late > TimeSpan.FromMilliseconds(-500), $"thawed {-late.TotalMilliseconds:0} ms before the deadline");
        await FreezeOwner.WaitGoneAsync(record.WatchdogPid);
    }

    [Fact]
    public async Task The_next_runs_recovery_ends_the_recorded_watchdog_and_thaws()
    {
        await using var owner = await FreezeOwner.StartAsync(seconds: 60);
        var record = await owner.FrozenAsync();
        using var writer = await owner.HangAsync(); // its watchdog still waits

        var leftover = await FrozenFilesystem.ThawLeftoverAsync(record, TimeProvider.System, CancellationToken.None);
        var again = await FrozenFilesystem.ThawLeftoverAsync(record, TimeProvider.System, CancellationToken.None);

        Assert.Equal(new LeftoverThaw(owner.MountPoint, WasFrozen: true, WatchdogEnded: true, Problem: null), leftover);
        Assert.Equal($"thawed {owner.MountPoint}, left frozen by the dead run, and ended its watchdog", leftover.Describe());
        Assert.Equal(0, await writer.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.False(FreezeTests.Alive(record.WatchdogPid));
        Assert.Equal(new LeftoverThaw(owner.MountPoint, false, false, null), again);
        Assert.Null(again.Describe());
    }

    [Fact]
    public async Task Recovery_does_not_kill_a_process_that_only_reuses_the_recorded_pid()
    {
        using var stranger = ChildProcess.Start("/usr/bin/setsid", ["sleep", "60"]);
        var identity = ProcessIdentity.Read(stranger.Pid)!;
        var record = new FreezeRecord("/nonexistent-offline-backup-mount", stranger.Pid, identity.StartTicks + 1, DateTimeOffset.UtcNow);

        var leftover = await FrozenFilesystem.ThawLeftoverAsync(record, TimeProvider.System, CancellationToken.None);

        Assert.Equal(new LeftoverThaw(record.MountPoint, false, false, null), leftover);
        Assert.True(FreezeTests.Alive(stranger.Pid));
    }
}
