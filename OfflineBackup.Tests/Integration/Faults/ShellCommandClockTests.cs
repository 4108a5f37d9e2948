using Microsoft.Extensions.Time.Testing;
using OfflineBackup.Service;

namespace OfflineBackup.Tests.Integration.Faults;

/// <summary>
/// A service command's timeout runs on the clock it is given, like every deadline of the tool:
/// a real command that would sleep ten minutes is killed, whole group, as soon as the fake clock
/// passes its five-minute timeout, well before the test's 30 s of real patience run out.
/// </summary>
public sealed class ShellCommandClockTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_command_past_its_timeout_on_the_given_clock_is_killed_with_its_group()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var group = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = ShellCommand.RunAsync("sleep 600 & sleep 600; wait", TimeSpan.FromMinutes(5), clock, CancellationToken.None, group.SetResult);
        var id = await group.Task.WaitAsync(Patience);

        clock.Advance(TimeSpan.FromSeconds(299));
        Assert.False(run.IsCompleted, "killed before its timeout");
        clock.Advance(TimeSpan.FromSeconds(2));
        var outcome = await run.WaitAsync(Patience);

        Assert.True(outcome.TimedOut, outcome.Describe());
        Assert.Equal(TimeSpan.FromMinutes(5), outcome.Limit);
        Assert.Contains("did not finish within 300s and was killed", outcome.Describe(), StringComparison.Ordinal);
        await Poll.UntilAsync(() => !OfflineBackup.Platform.LibC.GroupExists(id), Patience, $"process group {id} outlived the kill");
    }
}
