using System.Diagnostics;
using System.Globalization;
using OfflineBackup.Freezing;
using OfflineBackup.Platform;
using OfflineBackup.Sandbox.SandboxCommand;

namespace OfflineBackup.Tests.Integration.Freezing;

/// <summary>
/// The freeze split in two, as an online run uses it: prepared (the watchdog process started,
/// not counting) before commits are blocked, frozen under the block. The owner is the sandbox's
/// `hold-freeze --gate FIFO`, a process of its own that freezes only once the test writes a line
/// to the FIFO, so it can be killed or stopped between the two halves.
/// </summary>
public sealed class PreparedFreezeTests(ITestOutputHelper log)
{
    private static string SandboxBinary => Path.Combine(AppContext.BaseDirectory, "OfflineBackup.Sandbox");

    [Fact]
    public async Task Owner_SIGKILLed_after_preparing_and_before_freezing_leaves_nothing_frozen_and_the_watchdog_gone()
    {
        await using var volume = await FreezeVolume.CreateAsync();
        var gate = await MakeFifoAsync(volume);
        using var owner = StartOwner(volume, seconds: 60, gate);
        var prepared = await RecordAsync(owner, HoldFreezeCommand.PreparedPrefix);
        Assert.True(FreezeTests.Alive(prepared.WatchdogPid));

        Assert.Equal(0, LibC.Kill(-owner.Pid, LibC.SigKill));

        await WaitGoneAsync(prepared.WatchdogPid);
        Assert.Equal(FsFreezeCalls.Invalid, FsFreezeCalls.Thaw(volume.MountPoint)); // never frozen
        Assert.True(await volume.WritableAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task A_prepared_freeze_disposed_unfrozen_ends_its_watchdog_and_touches_nothing()
    {
        await using var volume = await FreezeVolume.CreateAsync();
        var prepared = await PreparedFreeze.PrepareAsync(volume.MountPoint, [], TimeProvider.System, CancellationToken.None);
        var record = prepared.RecordUntil(DateTimeOffset.UtcNow);
        Assert.True(FreezeTests.Alive(record.WatchdogPid));

        await prepared.DisposeAsync();

        Assert.False(FreezeTests.Alive(record.WatchdogPid));
        Assert.Equal(FsFreezeCalls.Invalid, FsFreezeCalls.Thaw(volume.MountPoint));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => prepared.FreezeAsync(TimeSpan.FromSeconds(5), CancellationToken.None));
    }

    [Fact]
    public async Task The_watchdogs_deadline_counts_from_the_freeze_not_from_the_preparation()
    {
        await using var volume = await FreezeVolume.CreateAsync();
        var gate = await MakeFifoAsync(volume);
        using var owner = StartOwner(volume, seconds: 2, gate);
        var prepared = await RecordAsync(owner, HoldFreezeCommand.PreparedPrefix);

        // Longer than the 2 s the freeze may last: a watchdog counting from its start would have
        // thawed and gone by now. Load can only make this wait longer, never the test weaker.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.True(FreezeTests.Alive(prepared.WatchdogPid), "the watchdog ended before anything was frozen");
        Assert.Equal(FsFreezeCalls.Invalid, FsFreezeCalls.Thaw(volume.MountPoint));

        var opened = DateTimeOffset.UtcNow;
        await File.WriteAllTextAsync(gate, "freeze\n");
        var frozen = await RecordAsync(owner, HoldFreezeCommand.FrozenPrefix);
        Assert.Equal(prepared.WatchdogPid, frozen.WatchdogPid);
        Assert.InRange(frozen.Deadline, opened + TimeSpan.FromSeconds(2), DateTimeOffset.UtcNow + TimeSpan.FromSeconds(2));
        Assert.Equal(0, LibC.Kill(-owner.Pid, Signals.Stop)); // hung while frozen: only the countdown thaws
        using var writer = volume.StartWriter("during");
        await FreezeVolume.WaitUntilBlockedByFreezeAsync(writer);

        Assert.Equal(0, await writer.WaitAsync(Until(frozen.Deadline + TimeSpan.FromSeconds(1))));
        var late = DateTimeOffset.UtcNow - frozen.Deadline;
        log.WriteLine($"writable {late.TotalMilliseconds:0} ms after the deadline counted from the freeze");
        Assert.True(late > TimeSpan.FromMilliseconds(-500), $"thawed {-late.TotalMilliseconds:0} ms before the deadline");
        await WaitGoneAsync(frozen.WatchdogPid);
    }

    private static async Task<string> MakeFifoAsync(FreezeVolume volume)
    {
        var path = volume.Outside("freeze-gate");
        var made = await ChildProcess.RunAsync("mkfifo", [path], CancellationToken.None);
        Assert.Equal(0, made.ExitCode);
        return path;
    }

    private static ChildProcess StartOwner(FreezeVolume volume, int seconds, string gate) =>
        // setsid makes the owner the leader of its own group (and session), as cron makes a job.
        ChildProcess.Start("/usr/bin/setsid", [SandboxBinary, HoldFreezeCommand.Name, volume.MountPoint, seconds.ToString(CultureInfo.InvariantCulture), "--gate", gate]);

    private static async Task<FreezeRecord> RecordAsync(ChildProcess owner, string prefix)
    {
        var line = await owner.WaitForLineAsync(l => l.StartsWith(prefix, StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        var record = HoldFreezeCommand.ParseRecord(line);
        Assert.NotEqual(ProcessIdentity.Read(owner.Pid)!.Session, ProcessIdentity.Read(record.WatchdogPid)!.Session);
        return record;
    }

    private static TimeSpan Until(DateTimeOffset deadline) =>
        deadline - DateTimeOffset.UtcNow is var left && left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1);

    private static async Task WaitGoneAsync(int pid)
    {
        var waited = Stopwatch.StartNew();
        while (FreezeTests.Alive(pid))
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), $"the watchdog {pid} did not exit");
            await Task.Delay(20);
        }
    }
}
