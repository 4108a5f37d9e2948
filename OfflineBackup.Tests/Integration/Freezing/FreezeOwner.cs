using System.Globalization;
using OfflineBackup.Freezing;
using OfflineBackup.Platform;
using OfflineBackup.Sandbox.SandboxCommand;

namespace OfflineBackup.Tests.Integration.Freezing;

/// <summary>
/// The owner of a freeze of a fresh <see cref="FreezeVolume"/>, as a process of its own: the
/// sandbox's hidden `hold-freeze`, which freezes through <see cref="FrozenFilesystem"/> (or, with a
/// gate, first only prepares and freezes once the test writes a line to the gate FIFO) and holds
/// it. setsid makes the owner the leader of its own group (and session), as cron makes a job, so
/// the test can stop or kill the whole group while it watches the watchdog and a writer in other
/// processes. Disposing ends the owner's group, then thaws and releases the volume.
/// </summary>
internal sealed class FreezeOwner : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly ChildProcess _process;

    private FreezeOwner(FreezeVolume volume, ChildProcess process, string? gate)
    {
        Volume = volume;
        _process = process;
        Gate = gate;
    }

    public FreezeVolume Volume { get; }

    public string MountPoint => Volume.MountPoint;

    public int Pid => _process.Pid;

    /// <summary>The FIFO the owner waits on between preparing and freezing; null when it freezes at once.</summary>
    public string? Gate { get; }

    private static string SandboxBinary => Path.Combine(AppContext.BaseDirectory, "OfflineBackup.Sandbox");

    /// <summary>An owner that freezes its volume at once for at most <paramref name="seconds"/>.</summary>
    public static Task<FreezeOwner> StartAsync(int seconds) => StartAsync(seconds, gated: false);

    /// <summary>An owner that prepares at once and freezes only when the test writes to <see cref="Gate"/>.</summary>
    public static Task<FreezeOwner> StartGatedAsync(int seconds) => StartAsync(seconds, gated: true);

    /// <summary>The record the owner prints once frozen.</summary>
    public Task<FreezeRecord> FrozenAsync() => RecordAsync(HoldFreezeCommand.FrozenPrefix);

    /// <summary>The record the owner prints under <paramref name="prefix"/>; its watchdog runs in a session of its own.</summary>
    public async Task<FreezeRecord> RecordAsync(string prefix)
    {
        var line = await _process.WaitForLineAsync(l => l.StartsWith(prefix, StringComparison.Ordinal), Patience);
        var record = HoldFreezeCommand.ParseRecord(line);
        Assert.NotEqual(ProcessIdentity.Read(Pid)!.Session, ProcessIdentity.Read(record.WatchdogPid)!.Session);
        return record;
    }

    /// <summary>Sends <paramref name="signal"/> to the owner's whole process group.</summary>
    public void SignalGroup(int signal) => Assert.Equal(0, LibC.Kill(-Pid, signal));

    /// <summary>
    /// Hangs the frozen owner (SIGSTOP to its group), so only the watchdog's countdown or a
    /// recovery can thaw, and returns a writer already blocked by the freeze, to time the thaw by.
    /// </summary>
    public Task<ChildProcess> HangAsync()
    {
        SignalGroup(Signals.Stop);
        return Volume.StartBlockedWriterAsync("during");
    }

    /// <summary>What is left until <paramref name="deadline"/>, at least a millisecond.</summary>
    public static TimeSpan Until(DateTimeOffset deadline) =>
        deadline - DateTimeOffset.UtcNow is var left && left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1);

    /// <summary>Until the watchdog <paramref name="pid"/> has exited (it does once it thawed or its owner ended it).</summary>
    public static Task WaitGoneAsync(int pid) =>
        Poll.UntilAsync(() => !FreezeTests.Alive(pid), TimeSpan.FromSeconds(10), $"the watchdog {pid} did not exit", TimeSpan.FromMilliseconds(20));

    public async ValueTask DisposeAsync()
    {
        _process.Dispose();
        await Volume.DisposeAsync();
    }

    private static async Task<FreezeOwner> StartAsync(int seconds, bool gated)
    {
        var volume = await FreezeVolume.CreateAsync();
        try
        {
            string[] arguments = [SandboxBinary, HoldFreezeCommand.Name, volume.MountPoint, seconds.ToString(CultureInfo.InvariantCulture)];
            var gate = gated ? volume.Outside("freeze-gate") : null;
            if (gate is not null)
            {
                var made = await ChildProcess.RunAsync("mkfifo", [gate], CancellationToken.None);
                Assert.Equal(0, made.ExitCode);
                arguments = [.. arguments, "--gate", gate];
            }

            return new FreezeOwner(volume, ChildProcess.Start("/usr/bin/setsid", arguments), gate);
        }
        catch
        {
            await volume.DisposeAsync();
            throw;
        }
    }
}
