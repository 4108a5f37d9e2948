using OfflineBackup.Freezing;
using OfflineBackup.Platform;
using OfflineBackup.Sandbox.SandboxCommand;

namespace OfflineBackup.Tests.Integration.Freezing;

/// <summary>
/// The freeze split in two, as an online run uses it: prepared (the watchdog process started,
/// not counting) before commits are blocked, frozen under the block. The owner is a
/// <see cref="FreezeOwner"/> with a gate: it freezes only once the test writes a line to the
/// FIFO, so it can be killed or stopped between the two halves.
/// </summary>
public sealed class PreparedFreezeTests(ITestOutputHelper log)
{
    [Fact]
    public async Task Owner_SIGKILLed_after_preparing_and_before_freezing_leaves_nothing_frozen_and_the_watchdog_gone()
    {
        await using var owner = await FreezeOwner.StartGatedAsync(seconds: 60);
        var prepared = await owner.RecordAsync(HoldFreezeCommand.PreparedPrefix);
        Assert.True(FreezeTests.Alive(prepared.WatchdogPid));

        owner.SignalGroup(LibC.SigKill);

        await FreezeOwner.WaitGoneAsync(prepared.WatchdogPid);
        Assert.Equal(FsFreezeCalls.Invalid, FsFreezeCalls.Thaw(owner.MountPoint)); // never frozen
        Assert.True(await owner.Volume.WritableAsync(TimeSpan.FromSeconds(30)));
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
        await using var owner = await FreezeOwner.StartGatedAsync(seconds: 2);
        var prepared = await owner.RecordAsync(HoldFreezeCommand.PreparedPrefix);

        // Longer than the 2 s the freeze may last: a watchdog counting from its start would have
        // thawed and gone by now. Load can only make this wait longer, never the test weaker.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.True(FreezeTests.Alive(prepared.WatchdogPid), "the watchdog ended before anything was frozen");
        Assert.Equal(FsFreezeCalls.Invalid, FsFreezeCalls.Thaw(owner.MountPoint));

        var opened = DateTimeOffset.UtcNow;
        await File.WriteAllTextAsync(owner.Gate!, "freeze\n");
        var frozen = await owner.FrozenAsync();
        Assert.Equal(prepared.WatchdogPid, frozen.WatchdogPid);
        Assert.InRange(frozen.Deadline, opened + TimeSpan.FromSeconds(2), DateTimeOffset.UtcNow + TimeSpan.FromSeconds(2));
        using var writer = await owner.HangAsync(); // hung while frozen: only the countdown thaws

        Assert.Equal(0, await writer.WaitAsync(FreezeOwner.Until(frozen.Deadline + TimeSpan.FromSeconds(1))));
        var late = DateTimeOffset.UtcNow - frozen.Deadline;
        log.WriteLine($"writable {late.TotalMilliseconds:0} ms after the deadline counted from the freeze");
        Assert.True(late > TimeSpan.FromMilliseconds(-500), $"thawed {-late.TotalMilliseconds:0} ms before the deadline");
        await FreezeOwner.WaitGoneAsync(frozen.WatchdogPid);
    }
}
