using System.Diagnostics;
using System.Globalization;
using OfflineBackup.Platform;

namespace OfflineBackup.Freezing;

/// <summary>
/// The process that thaws a frozen filesystem whatever happens to the tool: a bash reading a pipe
/// from the tool. Started (and journaled) before the server lock is taken, it waits, without a
/// deadline, for the word "frozen SECONDS" (<see cref="Arm"/>), which the tool writes just before
/// FIFREEZE, under the lock; from then on it counts SECONDS and runs `fsfreeze -u` when they pass
/// (the tool hangs). A pipe that closes without "thawed", armed or not, thaws at once (the tool
/// died, even by SIGKILL: the kernel closes its end; perhaps just after its FIFREEZE). "thawed"
/// (the tool's own thaw, or nothing was frozen) ends it quietly.
/// It runs in a session of its own (setsid), so no signal to the tool's group or terminal reaches
/// it; ignores HUP, INT and TERM (only SIGKILL ends it); has / as its working directory and
/// /dev/null as output, so it holds nothing open on the frozen filesystem and writes nothing.
/// </summary>
internal sealed class FreezeWatchdog : IDisposable
{
    private const string SetSid = "/usr/bin/setsid";
    private const string Bash = "/bin/bash";
    private const string ReadyWord = "ready";
    private const string ThawedWord = "thawed";
    private const string FrozenWord = "frozen";

    // $1 mount point, $2 fsfreeze. read returns on a line or on EOF; read -t also on timeout.
    // Anything but the word thaws. A thaw of a filesystem not frozen fails with EINVAL, harmlessly.
    private const string Script = $$"""
        trap '' HUP INT TERM PIPE
        echo {{ReadyWord}}
        exec >/dev/null 2>&1
        read -r word seconds || exec "$2" -u "$1"
        [ "$word" = {{ThawedWord}} ] && exit 0
        [ "$word" = {{FrozenWord}} ] || exec "$2" -u "$1"
        if read -r -t "$seconds" word && [ "$word" = {{ThawedWord}} ]; then exit 0; fi
        exec "$2" -u "$1"
        """;

    private static readonly string[] FsFreezeLocations = ["/usr/sbin/fsfreeze", "/sbin/fsfreeze", "/usr/bin/fsfreeze"];
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ExitLimit = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    private readonly Process _process;
    private int _disposed;

    private FreezeWatchdog(Process process, ProcessIdentity identity)
    {
        _process = process;
        Identity = identity;
    }

    public ProcessIdentity Identity { get; }

    /// <summary>fsfreeze from util-linux, which every Debian and RHEL system has; null when missing.</summary>
    public static string? FsFreezeProgram => FsFreezeLocations.FirstOrDefault(File.Exists);

    /// <summary>Starts the watchdog and returns once it runs in its own session, armed: not counting until <see cref="Arm"/>.</summary>
    public static async Task<FreezeWatchdog> StartAsync(string mountPoint, TimeProvider clock, CancellationToken cancellationToken)
    {
        var fsfreeze = FsFreezeProgram ?? throw new InvalidOperationException("fsfreeze (util-linux) is not installed");
        var start = new ProcessStartInfo(SetSid, [Bash, "-c", Script, "offline-backup-freeze-watchdog", mountPoint, fsfreeze])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };

        // Nothing of ours: no BASH_ENV for bash to source, no password, a PATH cron would not give.
        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin";
        start.Environment["LC_ALL"] = "C";
        var process = Process.Start(start) ?? throw new InvalidOperationException("the freeze watchdog did not start");
        try
        {
            var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
            string? line;
            try
            {
                line = await process.StandardOutput.ReadLineAsync(cancellationToken).AsTask().WaitAsync(StartLimit, clock, cancellationToken);
            }
            catch (TimeoutException)
            {
                line = null;
            }

            // Not a group leader (a child of .NET), so setsid(1) execs bash in place: the PID we
            // hold is the watchdog's, and its session is its own PID.
            var identity = ProcessIdentity.Read(process.Id);
            if (line != ReadyWord || identity is null || identity.Gone || identity.Session != process.Id)
            {
                Kill(process);
                throw new InvalidOperationException($"the freeze watchdog did not start in a session of its own: {(await errors).Trim()}");
            }

            return new FreezeWatchdog(process, identity);
        }
        catch
        {
            Kill(process);
            process.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Starts the countdown: from now, <paramref name="lifetime"/> at most before the watchdog
    /// thaws. One pipe write, synchronous, for the moment just before FIFREEZE, under the lock.
    /// False when the watchdog is gone (its pipe is closed): then nothing may be frozen.
    /// </summary>
    public bool Arm(TimeSpan lifetime)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return false;
        }

        try
        {
            // Rounded up: the watchdog may thaw late by its wake-up, never early.
            var seconds = Math.Ceiling(lifetime.TotalMilliseconds) / 1000;
            _process.StandardInput.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{FrozenWord} {seconds:0.000}"));
            return !_process.HasExited;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>
    /// Tells the watchdog the tool has thawed, so it exits without a thaw; or, with
    /// <paramref name="thawed"/> false, to thaw now. Does not wait: the caller has a server lock
    /// to release. Only the first call counts.
    /// </summary>
    public void Release(bool thawed)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        try
        {
            if (thawed)
            {
                _process.StandardInput.WriteLine(ThawedWord);
            }

            _process.StandardInput.Close();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // Already released, or already gone: its end of the pipe is closed.
        }
    }

    /// <summary>Releases it (to thaw, unless told otherwise before) and waits for it to exit; one that does not exit in time is killed.</summary>
    public async Task StopAsync()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        Release(thawed: false);
        try
        {
            await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(ExitLimit, CancellationToken.None);
        }
        catch (TimeoutException)
        {
            Kill(_process);
        }
    }

    /// <summary>
    /// Ends the watchdog of an earlier run, by SIGKILL, only if the process with that PID is still
    /// the one recorded (same start time, its own session). True when it was and is now gone.
    /// </summary>
    public static async Task<bool> EndLeftoverAsync(int pid, long startTicks, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (ProcessIdentity.Read(pid) is not { Gone: false } found || found.StartTicks != startTicks || found.Session != pid)
        {
            return false;
        }

        _ = LibC.Kill(pid, LibC.SigKill);
        var started = clock.GetTimestamp();
        while (ProcessIdentity.Read(pid) is { Gone: false } still && still.StartTicks == startTicks)
        {
            if (clock.GetElapsedTime(started) > ExitLimit)
            {
                throw new InvalidOperationException($"the freeze watchdog {pid} of an earlier run survives SIGKILL");
            }

            await Task.Delay(Poll, clock, cancellationToken);
        }

        return true;
    }

    /// <summary>Like <see cref="StopAsync"/>, blocking (for Dispose and failure paths), then frees the process handle.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Release(thawed: false);
        if (!_process.WaitForExit(ExitLimit))
        {
            Kill(_process);
        }

        _process.Dispose();
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill();
            process.WaitForExit(ExitLimit);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }
}
