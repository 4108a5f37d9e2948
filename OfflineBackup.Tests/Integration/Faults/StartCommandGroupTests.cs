using OfflineBackup.Platform;
using OfflineBackup.Service;

namespace OfflineBackup.Tests.Integration.Faults;

/// <summary>
/// How a recovery settles a dead run's start command, with real process groups: it is waited
/// for, left alone while MySQL answers, and otherwise ended member by member, never the server.
/// The server is a copy of sleep named mysqld (found by its executable) and a plain sleep whose
/// PID is in the pid file; whether MySQL answers is the fake service's say.
/// </summary>
public sealed class StartCommandGroupTests : CommandGroupTests
{
    private readonly FakeMySqlService _service = new();

    private string PidFile => PathOf("mysqld.pid");

    [Fact]
    public async Task A_silent_server_is_spared_and_the_rest_of_the_start_command_ended()
    {
        _service.Up = false;
        var (group, server, byPidFile) = await StartServerHoldingCommandAsync();

        var done = (await StartCommandGroup.SettleAsync(group, DateTimeOffset.UtcNow, _service, PidFile, TimeProvider.System))?.Text;

        Assert.NotNull(done);
        Assert.Contains("ended its start command", done);
        Assert.Contains($"spared the server and what it runs under (PID {Math.Min(server, byPidFile)}, {Math.Max(server, byPidFile)})", done);
        Assert.Equal(new[] { server, byPidFile }.Order(), LibC.GroupMembers(group.Id).Order());
    }

    [Fact]
    public async Task What_a_silent_server_runs_under_is_spared_too()
    {
        // As `sudo -u mysql mysqld &` would: sudo passes a TERM on to the server.
        _service.Up = false;
        var binary = ServerBinary();
        var ready = PathOf("ready");
        var serverPid = PathOf("server.pid");
        var (group, command) = await StartGroupAsync(
            $"/bin/sh -c '\"{binary}\" 600 & echo $! > \"{serverPid}\"; wait' & wrapper=$!; sleep 600 & hung=$!; "
            + $"until [ -s '{serverPid}' ] && [ \"$(readlink /proc/$(cat '{serverPid}')/exe)\" = '{binary}' ]; do sleep 0.01; done; "
            + $"echo \"$$ $wrapper $(cat '{serverPid}') $hung\" > '{ready}'; wait $hung; wait");
        var pids = (await ReadyAsync(ready)).Split(' ').Select(p => int.Parse(p, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var (shell, wrapper, server, hung) = (pids[0], pids[1], pids[2], pids[3]);

        var done = (await StartCommandGroup.SettleAsync(group, DateTimeOffset.UtcNow, _service, PidFile, TimeProvider.System))?.Text;

        Assert.Contains("ended its start command", done);
        Assert.Equal(new[] { shell, wrapper, server }.Order(), LibC.GroupMembers(group.Id).Order());
        Assert.DoesNotContain(hung, LibC.GroupMembers(group.Id));
        Assert.False(command.IsCompleted, "the shell the server runs under was ended");
    }

    [Fact]
    public async Task While_MySQL_answers_the_group_is_left_alone()
    {
        _service.Up = true;
        var (group, _, _) = await StartServerHoldingCommandAsync();
        var before = LibC.GroupMembers(group.Id).Order().ToList();

        var done = (await StartCommandGroup.SettleAsync(group, DateTimeOffset.UtcNow, _service, PidFile, TimeProvider.System))?.Text;

        Assert.Contains("left its start command's process group", done);
        Assert.Equal(before, LibC.GroupMembers(group.Id).Order());
    }

    [Fact]
    public async Task A_start_command_still_within_its_timeout_is_waited_for_not_ended()
    {
        _service.Up = false;
        using var gate = new FileGate(WorkDirectory, "start");
        var (group, command) = await StartGroupAsync($"{gate.Hold}; exit 0");
        await gate.ReachedAsync(Patience);

        var settling = StartCommandGroup.SettleAsync(group, DateTimeOffset.UtcNow + Patience, _service, PidFile, TimeProvider.System);
        Assert.False(settling.IsCompleted, "the recovery did not wait for the start command");
        gate.Release();
        var done = (await settling.WaitAsync(Patience))?.Text;

        Assert.Contains("finished while the recovery waited", done);
        Assert.True((await command.WaitAsync(Patience)).Succeeded, "the start command was killed, not waited for");
    }

    [Fact]
    public async Task A_group_that_is_gone_needs_nothing()
    {
        var (group, command) = await StartGroupAsync("exit 0");
        await command.WaitAsync(Patience);

        Assert.Null(await StartCommandGroup.SettleAsync(group, DateTimeOffset.UtcNow, _service, PidFile, TimeProvider.System));
    }

    /// <summary>
    /// A start command that hangs after it started two servers into its own group, as
    /// <c>mysqld_safe &amp;</c> would: a "mysqld" executable, and a sleep named by the pid file.
    /// </summary>
    private async Task<(RecordedGroup Group, int Server, int ByPidFile)> StartServerHoldingCommandAsync()
    {
        var binary = ServerBinary();
        var ready = PathOf("ready");
        var serverPid = PathOf("server.pid");

        // Both started from subshells that exit, so the hung shell is not what they run under.
        // Ready only once the copy runs as mysqld: a forked shell not yet exec'd is not the server.
        var (group, _) = await StartGroupAsync(
            $"( '{binary}' 600 & echo $! > '{serverPid}' ); ( sleep 600 & echo $! > '{PidFile}' ); server=$(cat '{serverPid}'); "
            + $"while [ \"$(readlink /proc/$server/exe)\" != '{binary}' ]; do sleep 0.01; done; echo $server > '{ready}'; sleep 600");
        var server = int.Parse(await ReadyAsync(ready), System.Globalization.CultureInfo.InvariantCulture);
        var byPidFile = int.Parse(File.ReadAllText(PidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains(server, LibC.GroupMembers(group.Id));
        Assert.Contains(byPidFile, LibC.GroupMembers(group.Id));
        Assert.True(StartCommandGroup.IsServer(server, null), "a process running an executable named mysqld is the server");
        Assert.False(StartCommandGroup.IsServer(byPidFile, null), "a plain sleep is the server only by the pid file");
        return (group, server, byPidFile);
    }

    /// <summary>A copy of sleep named mysqld: a server by its executable's name.</summary>
    private string ServerBinary()
    {
        var binary = PathOf("mysqld");
        File.Copy("/bin/sleep", binary);
        File.SetUnixFileMode(binary, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        return binary;
    }
}
