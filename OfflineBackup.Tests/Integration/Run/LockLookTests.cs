using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace OfflineBackup.Tests.Integration.Run;

/// <summary>
/// Looking at the lock (check, list, the dry runs) must see a lock held by another process, and
/// must never take it, create it or truncate it: a look at the instant cron's run starts must not
/// make that run exit 3.
/// </summary>
public sealed class LockLookTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_lock_held_by_another_process_is_seen_with_its_pid_and_left_as_it_was()
    {
        var path = _dir.File("offline-backup.lock");
        File.WriteAllText(path, "pid=1\nstarted=2026-11-26T02:00:00Z\nhost=elsewhere\n");
        using var holder = StartHolder(path);

        // The gate: the holder says "locked" only once flock(1) has the lock.
        Assert.Equal("locked", await holder.StandardOutput.ReadLineAsync());
        var before = File.ReadAllText(path);
        var seen = RunLock.CurrentHolder(path);

        // flock(1) wrote no fields, so the file still names PID 1: the kernel's PID wins.
        Assert.Equal($"PID {holder.Id} on ?, started ?", seen);
        Assert.Equal(before, File.ReadAllText(path));
        Assert.Null(RunLock.TryAcquire(path, DateTimeOffset.UtcNow, out _));

        holder.StandardInput.Close();
        await holder.WaitForExitAsync();
        Assert.Null(RunLock.CurrentHolder(path));
    }

    [Theory]
    [InlineData(ExitCodes.Locked, "check")]
    [InlineData(ExitCodes.Locked, "run", "--dry-run")]
    [InlineData(ExitCodes.Locked, "prune", "--dry-run")]
    [InlineData(ExitCodes.Success, "list")]
    public async Task Commands_that_only_look_name_the_other_holder_and_leave_its_file_alone(int expected, params string[] args)
    {
        using var cli = new CliHarness(
            new TestAdapters { Replica = new FakeReplicaServer(), Store = new FakeSnapshotStore(), Service = new FakeMySqlService() },
            new FakeTimeProvider(DateTimeOffset.UtcNow));
        await cli.WriteConfigAsync(9, "not-used", new Uri("http://127.0.0.1:9/"));
        File.WriteAllText(cli.LockFile, "pid=1\nstarted=2026-11-26T02:00:00Z\nhost=elsewhere\n");
        using var holder = StartHolder(cli.LockFile);
        Assert.Equal("locked", await holder.StandardOutput.ReadLineAsync());
        var before = File.ReadAllText(cli.LockFile);

        var result = await cli.RunAsync(args);

        Assert.True(result.ExitCode == expected, result.ToString());
        Assert.Contains($"PID {holder.Id} on ?", result.Output + result.Error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(cli.LockFile));
        holder.StandardInput.Close();
        await holder.WaitForExitAsync();
    }

    [Fact]
    public void Looking_while_nobody_holds_it_takes_nothing_and_creates_nothing()
    {
        var path = _dir.File("offline-backup.lock");

        Assert.Null(RunLock.CurrentHolder(path));
        Assert.False(File.Exists(path));

        using var taken = RunLock.TryAcquire(path, DateTimeOffset.UtcNow, out _);
        Assert.NotNull(taken);
        Assert.StartsWith($"PID {Environment.ProcessId} on ", RunLock.CurrentHolder(path), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_starting_while_someone_looks_still_gets_the_lock()
    {
        var path = _dir.File("offline-backup.lock");
        File.WriteAllText(path, string.Empty);
        for (var i = 0; i < 200; i++)
        {
            var look = Task.Run(() => RunLock.CurrentHolder(path));
            using var run = RunLock.TryAcquire(path, DateTimeOffset.UtcNow, out var holder);
            Assert.True(run is not null, $"attempt {i}: the run found the lock held by {holder}");
            await look;
        }
    }

    private static Process StartHolder(string path)
    {
        // flock(1) holds an exclusive flock on the file until its child (cat) ends, which is when
        // the test closes cat's stdin.
        var start = new ProcessStartInfo("flock", ["--exclusive", path, "sh", "-c", "echo locked; cat >/dev/null"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        return Process.Start(start) ?? throw new InvalidOperationException("flock did not start");
    }
}
