using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using OfflineBackup.Freezing;
using OfflineBackup.Platform;

namespace OfflineBackup.Tests.Integration.Freezing;

/// <summary>
/// Freezing and thawing a real loop-mounted ext4 filesystem through <see cref="FrozenFilesystem"/>:
/// writes from other processes wait for the thaw, the thaw is idempotent, and a failed freeze
/// leaves nothing frozen and no watchdog behind.
/// </summary>
public sealed class FreezeTests(ITestOutputHelper log)
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_write_from_another_process_waits_while_frozen_and_completes_after_the_thaw()
    {
        await using var volume = await FreezeVolume.CreateAsync();
        Directory.CreateDirectory(Path.Combine(volume.MountPoint, "mysql"));
        var clock = Stopwatch.StartNew();
        var frozen = await FrozenFilesystem.FreezeAsync(Path.Combine(volume.MountPoint, "mysql"), [], Long, TimeProvider.System, null, CancellationToken.None);
        var freezeTime = clock.Elapsed;
        try
        {
            Assert.Equal(volume.MountPoint, frozen.MountPoint);
            using var writer = await volume.StartBlockedWriterAsync("during");
            Assert.False(writer.HasExited);

            clock.Restart();
            var outcome = frozen.Thaw();
            var thawTime = clock.Elapsed;

            Assert.Equal(0, await writer.WaitAsync(TimeSpan.FromSeconds(30)));
            Assert.Equal("written\n", await File.ReadAllTextAsync(Path.Combine(volume.MountPoint, "during")));
            Assert.False(outcome.AlreadyThawed);
            Assert.Null(outcome.Problem);
            Assert.True(outcome.Frozen > TimeSpan.Zero);
            log.WriteLine($"freeze (watchdog start + FIFREEZE) {freezeTime.TotalMilliseconds:0.0} ms; thaw (FITHAW + telling the watchdog) {thawTime.TotalMilliseconds:0.0} ms; frozen {outcome.Frozen.TotalMilliseconds:0.0} ms");
        }
        finally
        {
            await frozen.DisposeAsync();
        }
    }

    [Fact]
    public async Task Repeated_freezes_of_the_same_filesystem_each_end_thawed_with_their_watchdog_gone()
    {
        await using var volume = await FreezeVolume.CreateAsync();
        var figures = new List<string>();
        for (var cycle = 0; cycle < 5; cycle++)
        {
            var clock = Stopwatch.StartNew();
            var frozen = await FrozenFilesystem.FreezeAsync(volume.MountPoint, [], Long, TimeProvider.System, null, CancellationToken.None);
            var freezeTime = clock.Elapsed;
            clock.Restart();
            var outcome = frozen.Thaw();
            var thawTime = clock.Elapsed;
            await frozen.DisposeAsync();

            Assert.False(outcome.AlreadyThawed);
            Assert.False(Alive(frozen.Record.WatchdogPid));
            figures.Add($"{freezeTime.TotalMilliseconds:0.0}/{thawTime.TotalMilliseconds:0.0}/{clock.Elapsed.TotalMilliseconds:0.0}");
        }

        Assert.True(await volume.WritableAsync(TimeSpan.FromSeconds(30)));
        log.WriteLine($"freeze/thaw/thaw+watchdog exit ms per cycle: {string.Join("  ", figures)}");
    }

    [Fact]
    public async Task The_deadline_and_the_frozen_time_come_from_the_injected_clock()
    {
        await using var volume = await FreezeVolume.CreateAsync();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 3, 0, 0, TimeSpan.Zero));
        var frozen = await FrozenFilesystem.FreezeAsync(volume.MountPoint, [], TimeSpan.FromSeconds(30), clock, null, CancellationToken.None);
        try
        {
            clock.Advance(TimeSpan.FromSeconds(7));
            var outcome = frozen.Thaw();

            Assert.Equal(new DateTimeOffset(2026, 11, 29, 3, 0, 30, TimeSpan.Zero), frozen.Record.Deadline);
            Assert.Equal(TimeSpan.FromSeconds(7), outcome.Frozen);
        }
        finally
        {
            await frozen.DisposeAsync();
        }
    }

    [Fact]
    public async Task Thaw_is_idempotent_and_the_watchdog_exits_quietly_when_the_tool_thaws_first()
    {
        await using var volume = await FreezeVolume.CreateAsync();
        FreezeRecord? recorded = null;
        var frozen = await FrozenFilesystem.FreezeAsync(volume.MountPoint, [], Long, TimeProvider.System, r => recorded = r, CancellationToken.None);
        try
        {
            Assert.Equal(frozen.Record, recorded);
            Assert.True(Alive(recorded!.WatchdogPid));

            var first = frozen.Thaw();
            var second = frozen.Thaw();
            await frozen.DisposeAsync();
            frozen.Dispose();

            Assert.Same(first, second);
            Assert.False(first.AlreadyThawed);
            Assert.False(Alive(recorded.WatchdogPid));
            Assert.Equal(FsFreezeCalls.Invalid, FsFreezeCalls.Thaw(volume.MountPoint));
            Assert.True(await volume.WritableAsync(TimeSpan.FromSeconds(30)));
        }
        finally
        {
            await frozen.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_watchdog_runs_in_its_own_session_and_holds_nothing_open_on_the_frozen_filesystem()
    {
        await using var volume = await FreezeVolume.CreateAsync();
        var clock = Stopwatch.StartNew();
        var watchdog = await FreezeWatchdog.StartAsync(volume.MountPoint, TimeProvider.System, CancellationToken.None);
        log.WriteLine($"watchdog start (setsid bash, until it reports ready): {clock.Elapsed.TotalMilliseconds:0.0} ms");
        try
        {
            var pid = watchdog.Identity.Pid;
            Assert.Equal(pid, watchdog.Identity.Session);
            Assert.NotEqual(ProcessIdentity.Read(Environment.ProcessId)!.Session, watchdog.Identity.Session);
            Assert.Equal("/", new DirectoryInfo($"/proc/{pid}/cwd").ResolveLinkTarget(returnFinalTarget: false)!.FullName);
            var open = Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd")
                .Select(fd => new FileInfo(fd).LinkTarget ?? "")
                .ToList();
            Assert.NotEmpty(open);
            Assert.DoesNotContain(open, target => MountTable.IsAtOrUnder(target, volume.MountPoint));
            Assert.All(open, target => Assert.True(target == "/dev/null" || target.StartsWith("pipe:", StringComparison.Ordinal), target));
        }
        finally
        {
            watchdog.Release(thawed: true);
            watchdog.Dispose();
        }
    }

    [Fact]
    public async Task A_filesystem_someone_else_froze_is_refused_and_left_frozen_with_no_watchdog_behind()
    {
        await using var volume = await FreezeVolume.CreateAsync();
        await ChildProcess.RunAsync("fsfreeze", ["-f", volume.MountPoint], CancellationToken.None);
        try
        {
            FreezeRecord? recorded = null;
            var refusal = await Assert.ThrowsAsync<BackupException>(() =>
                FrozenFilesystem.FreezeAsync(volume.MountPoint, [], Long, TimeProvider.System, r => recorded = r, CancellationToken.None));

            Assert.Equal(ExitCodes.SnapshotFailed, refusal.ExitCode);
            Assert.Contains($"cannot freeze {volume.MountPoint}: it is already frozen", refusal.Message, StringComparison.Ordinal);
            Assert.False(Alive(recorded!.WatchdogPid));
            Assert.Equal(0, FsFreezeCalls.Thaw(volume.MountPoint)); // still frozen: theirs, untouched until here
        }
        finally
        {
            await ChildProcess.RunAsync("fsfreeze", ["-u", volume.MountPoint], CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_journal_write_that_fails_before_the_freeze_leaves_nothing_frozen_and_no_watchdog()
    {
        await using var volume = await FreezeVolume.CreateAsync();
        FreezeRecord? recorded = null;

        await Assert.ThrowsAsync<IOException>(() => FrozenFilesystem.FreezeAsync(volume.MountPoint, [], Long, TimeProvider.System, r =>
        {
            recorded = r;
            throw new IOException("journal disk full");
        }, CancellationToken.None));

        Assert.False(Alive(recorded!.WatchdogPid));
        Assert.Equal(FsFreezeCalls.Invalid, FsFreezeCalls.Thaw(volume.MountPoint));
    }

    internal static bool Alive(int pid) => ProcessIdentity.Read(pid) is { Gone: false };
}
