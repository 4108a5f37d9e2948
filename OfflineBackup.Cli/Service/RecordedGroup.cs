using OfflineBackup.Platform;

namespace OfflineBackup.Service;

/// <summary>
/// What makes a recorded process group id name our command's group and nothing else: the start
/// time of its leader (the setsid'd shell, whose PID is the group id) and the boot it ran in.
/// A bare id does not: after a reboot or a PID wrap-around it may lead someone else's group, the
/// restarted mysqld's among them.
/// </summary>
public sealed record CommandGroupIdentity(long LeaderStartTicks, string BootId)
{
    /// <summary>
    /// Read as the command starts. The leader may not have called setsid yet (its group is still
    /// ours), so only its start time is read, which the fork fixed. A command quick enough to have
    /// exited already (`mysqld_safe &amp;`) may have left members: the earliest of them stands in
    /// for the leader, since every member started after the leader, and a later process given
    /// the leader's PID starts later still. Null when nothing of the group is left.
    /// </summary>
    public static CommandGroupIdentity? Of(int group)
    {
        if (ProcessIdentity.CurrentBootId() is not { } boot)
        {
            return null;
        }

        if (ProcessIdentity.Read(group) is { Gone: false } leader)
        {
            return new CommandGroupIdentity(leader.StartTicks, boot);
        }

        var members = ProcessIdentity.All().Where(p => p.Group == group && p.Session == group && !p.Gone).ToList();
        return members.Count == 0 ? null : new CommandGroupIdentity(members.Min(p => p.StartTicks), boot);
    }
}

/// <summary>What is found now under a recorded process group id.</summary>
public enum GroupState
{
    /// <summary>No live process in that group: nothing to do.</summary>
    Gone,

    /// <summary>Recorded in an earlier boot: every process of it ended with that boot.</summary>
    OtherBoot,

    /// <summary>The group is the recorded command's: it may be signalled.</summary>
    Ours,

    /// <summary>Someone else's group now has that id: it must not be signalled.</summary>
    NotOurs,

    /// <summary>A journal of an older version recorded the id alone: nothing can prove it is ours.</summary>
    Unverified,
}

/// <summary>A process group as a journal recorded it: its id and, from newer versions, its identity.</summary>
public sealed record RecordedGroup(int Id, CommandGroupIdentity? Identity)
{
    /// <summary>
    /// Checked again before every signal: a group that ends while it is waited for may have its
    /// id given to another one.
    /// <para>
    /// The leader alive with the recorded start time proves the group: a session leader (setsid)
    /// cannot change its group, and no other group can take the id while its leader holds it.
    /// With the leader gone, the kernel still keeps the id from being reused while any member is
    /// left, so the members found are of our group unless it emptied and the id was reused by a
    /// new group whose own leader also died. Every member of ours was forked in the session the
    /// leader made, so it started no earlier than the leader and has the leader's PID as its
    /// session; a group where any member fails either test is not ours. What this cannot tell
    /// apart (a PID wrap-around to exactly that id, a new session there, its leader gone, all
    /// between the dead run and the next hourly run) is far less likely than the orphaned stop
    /// command it guards against.
    /// </para>
    /// </summary>
    public GroupState Check()
    {
        if (!LibC.GroupExists(Id))
        {
            return GroupState.Gone;
        }

        if (Identity is null)
        {
            return GroupState.Unverified;
        }

        if (ProcessIdentity.CurrentBootId() is not { } boot)
        {
            return GroupState.Unverified;
        }

        if (boot != Identity.BootId)
        {
            return GroupState.OtherBoot;
        }

        if (ProcessIdentity.Read(Id) is { Gone: false } leader)
        {
            return leader.StartTicks == Identity.LeaderStartTicks && leader.Group == Id ? GroupState.Ours : GroupState.NotOurs;
        }

        var members = ProcessIdentity.All().Where(p => p.Group == Id && !p.Gone).ToList();
        return members.Count == 0 ? GroupState.Gone
            : members.All(p => p.StartTicks >= Identity.LeaderStartTicks && p.Session == Id) ? GroupState.Ours
            : GroupState.NotOurs;
    }

    /// <summary>For a DBA who must look by hand: the command that shows what the group runs.</summary>
    public string PsCommand => $"ps -o pid,lstart,args -g {Id}";
}
