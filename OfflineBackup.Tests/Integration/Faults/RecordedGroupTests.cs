using System.Globalization;
using OfflineBackup.Platform;
using OfflineBackup.Service;

namespace OfflineBackup.Tests.Integration.Faults;

/// <summary>
/// A recorded process group id is signalled only while it is still our command's group, with
/// real process groups: a live group recorded with another leader start time or another boot
/// id (as after a PID wrap-around or a reboot), or by an older journal without either, is left
/// running; the right one is ended, also once its leader has exited and only members remain.
/// </summary>
public sealed class RecordedGroupTests : CommandGroupTests
{
    [Fact]
    public async Task A_group_whose_leader_started_at_another_time_is_not_signalled()
    {
        var (group, _) = await StartRunningGroupAsync();
        var reused = group with { Identity = group.Identity! with { LeaderStartTicks = group.Identity.LeaderStartTicks - 1 } };

        Assert.Equal(GroupState.NotOurs, reused.Check());
        var outcome = await StopCommandGroup.EndAsync(reused, TimeProvider.System);

        Assert.Contains($"left process group {group.Id} alone", outcome!.Text);
        Assert.True(LibC.GroupExists(group.Id), "a group that is not the stop command's was signalled");
    }

    [Fact]
    public async Task A_group_recorded_in_another_boot_is_not_signalled()
    {
        var (group, _) = await StartRunningGroupAsync();
        var otherBoot = group with { Identity = group.Identity! with { BootId = Guid.NewGuid().ToString() } };

        Assert.Equal(GroupState.OtherBoot, otherBoot.Check());
        Assert.Null(await StopCommandGroup.EndAsync(otherBoot, TimeProvider.System));
        Assert.True(LibC.GroupExists(group.Id), "a group recorded before a reboot was signalled");
    }

    [Fact]
    public async Task A_group_an_old_journal_recorded_without_identity_is_left_alone_and_a_person_told_what_to_check()
    {
        var (group, _) = await StartRunningGroupAsync();
        var old = group with { Identity = null };

        var outcome = await StopCommandGroup.EndAsync(old, TimeProvider.System);

        Assert.True(outcome!.NeedsPerson);
        Assert.Contains($"ps -o pid,lstart,args -g {group.Id}", outcome.Text);
        Assert.Contains("not signalled", outcome.Text);
        Assert.True(LibC.GroupExists(group.Id), "an unverifiable group was signalled");
    }

    [Fact]
    public async Task A_start_command_group_that_is_no_longer_ours_is_not_settled()
    {
        var (group, _) = await StartRunningGroupAsync();
        var before = LibC.GroupMembers(group.Id).Order().ToList();
        var reused = group with { Identity = group.Identity! with { LeaderStartTicks = group.Identity.LeaderStartTicks + 1 } };

        var outcome = await StartCommandGroup.SettleAsync(reused, DateTimeOffset.UtcNow, new FakeMySqlService { Up = false }, null, TimeProvider.System);

        Assert.Contains($"left process group {group.Id} alone", outcome!.Text);
        Assert.Equal(before, LibC.GroupMembers(group.Id).Order());
    }

    [Fact]
    public async Task The_right_group_is_ended()
    {
        var (group, command) = await StartRunningGroupAsync();

        Assert.Equal(GroupState.Ours, group.Check());
        var outcome = await StopCommandGroup.EndAsync(group, TimeProvider.System);

        Assert.Contains($"ended its stop command still running (process group {group.Id})", outcome!.Text);
        Assert.False(LibC.GroupExists(group.Id));
        Assert.False((await command.WaitAsync(Patience)).Succeeded);
    }

    [Fact]
    public async Task With_the_leader_gone_members_started_after_it_are_ended_and_members_older_than_it_are_not()
    {
        // The leader forks a member and exits: the group lives on in the member alone.
        var memberFile = PathOf("member");
        var (group, command) = await StartGroupAsync($"sleep 600 & echo $! > '{memberFile}'");
        Assert.NotNull(group.Identity);
        await command.WaitAsync(Patience);
        var member = int.Parse(File.ReadAllText(memberFile).Trim(), CultureInfo.InvariantCulture);
        Assert.Equal([member], LibC.GroupMembers(group.Id));
        Assert.Null(ProcessIdentity.Read(group.Id));

        // Recorded with a leader younger than the member: that group cannot be the one recorded.
        var younger = group with { Identity = group.Identity! with { LeaderStartTicks = ProcessIdentity.Read(member)!.StartTicks + 1 } };
        Assert.Equal(GroupState.NotOurs, younger.Check());
        Assert.Contains("alone", (await StopCommandGroup.EndAsync(younger, TimeProvider.System))!.Text);
        Assert.True(LibC.GroupExists(group.Id), "a member older than the recorded leader was signalled");

        Assert.Equal(GroupState.Ours, group.Check());
        Assert.Contains("ended its stop command", (await StopCommandGroup.EndAsync(group, TimeProvider.System))!.Text);
        Assert.False(LibC.GroupExists(group.Id));
    }

    /// <summary>A command that runs until killed, once its group exists and holds a member besides the leader.</summary>
    private async Task<(RecordedGroup Group, Task<CommandOutcome> Command)> StartRunningGroupAsync()
    {
        var ready = PathOf($"ready-{Guid.NewGuid():N}");
        var started = await StartGroupAsync($"sleep 600 & touch '{ready}'; wait");
        Assert.NotNull(started.Group.Identity);
        await Poll.UntilAsync(() => File.Exists(ready), Patience, $"the command never touched {ready}", TimeSpan.FromMilliseconds(10));

        return started;
    }
}
