using OfflineBackup.MySql;
using OfflineBackup.Pipeline;

namespace OfflineBackup.Tests.Unit.Pipeline;

/// <summary>What check, list and prune say an interrupted run left behind: the lowered dirty-page limits in every phase the journal holds their originals.</summary>
public sealed class JournalEntryTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 29, 4, 0, 0, TimeSpan.Zero);
    private static readonly ChangedSettings Lowered = new(new FlushLimits(90, 10), At);
    private static readonly FreezeJournal Frozen = new("/data", 4242, 1, At.AddMinutes(5));

    public static TheoryData<RunPhase, bool, string> Phases => new()
    {
        { RunPhase.StoppingReplication, false, "replication may be stopped and InnoDB's dirty-page limits lowered" },
        { RunPhase.PreFlushing, false, "replication may be stopped and InnoDB's dirty-page limits lowered" },
        { RunPhase.RestoringReplication, false, "replication may be stopped and InnoDB's dirty-page limits lowered" },
        { RunPhase.StoppingMySql, false, "MySQL may be stopped, or still running with InnoDB's dirty-page limits lowered" },
        { RunPhase.WaitingForSnapshot, false, "MySQL may be stopped, or still running with InnoDB's dirty-page limits lowered" },
        { RunPhase.StartingMySql, false, "MySQL may be stopped, or still running with InnoDB's dirty-page limits lowered" },
        { RunPhase.SnapshotInFlight, false, "MySQL is back, but a CreateSnapshot it sent may still land; InnoDB's dirty-page limits lowered" },
        { RunPhase.BlockingCommits, true, "/data may be frozen (its watchdog thaws it by 2026-11-29 04:05:00Z) and replication may be stopped; InnoDB's dirty-page limits lowered" },
    };

    [Theory]
    [MemberData(nameof(Phases))]
    public void The_lowered_limits_are_named_in_every_phase_the_journal_holds_them(RunPhase phase, bool frozen, string expected)
    {
        var entry = Entry(phase, frozen) with { Changed = Lowered };

        Assert.Equal(expected, entry.LeftBehind);
        Assert.DoesNotContain("dirty-page", (entry with { Changed = null }).LeftBehind);
    }

    private static JournalEntry Entry(RunPhase phase, bool frozen) =>
        new("run-x", 4242, phase, At, "vol-1", [""], At, null, At) { Freeze = frozen ? Frozen : null };
}
