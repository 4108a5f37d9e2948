using System.Net;

namespace OfflineBackup.Tests.Unit.Pipeline;

/// <summary>The run's honest answers when EC2 or the journal fail, with fakes.</summary>
public sealed class RunFaultTests : FakeRunTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_lost_answer_whose_lookup_fails_is_never_resent_and_is_left_for_the_next_run()
    {
        _store.FailuresStillCreate = true;
        _store.CreateFailures.Enqueue(new Ec2OperationException(
            ExitCodes.SnapshotFailed, "CreateSnapshot", "InternalError", HttpStatusCode.InternalServerError, "ec2:CreateSnapshot failed: InternalError", new InvalidOperationException()));
        _store.FindFailure = new Ec2OperationException(
            ExitCodes.Ec2Unreachable, "DescribeSnapshots", null, null, "ec2:DescribeSnapshots: EC2 unreachable: Connection reset by peer", new IOException());

        var report = await ExecuteExpecting(ExitCodes.SnapshotFailed);

        Assert.Single(_store.Created);
        Assert.True(_service.Up);
        Assert.Contains("may exist", report.Summary);
        Assert.DoesNotContain("no snapshot taken", report.Summary);
        Assert.Contains(report.Problems, p => p.Contains("no second CreateSnapshot was sent", StringComparison.Ordinal));
        Assert.Equal(RunPhase.SnapshotInFlight, _journal.Read()!.Phase);
    }

    [Fact]
    public async Task A_journal_that_breaks_while_MySQL_starts_is_exit_14_not_a_replica_problem()
    {
        // A directory takes the journal's place once the start command runs: every later
        // journal write fails, while replication comes back fine.
        _service.BeforeStart = () =>
        {
            File.Delete(_settings.State.JournalPath);
            Directory.CreateDirectory(_settings.State.JournalPath);
        };

        var report = await ExecuteExpecting(ExitCodes.JournalFailed);

        Assert.True(_service.Up);
        Assert.Single(_store.Created);
        Assert.Contains(report.Problems, p => p.Contains(_settings.State.JournalPath, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_start_that_fails_says_MySQL_is_still_down_not_down_for_0ms()
    {
        _service.StartFailuresLeft = 2;

        var report = await ExecuteExpecting(ExitCodes.StartFailed);

        Assert.Contains("MySQL still DOWN", report.Summary);
        Assert.DoesNotContain("MySQL down 0ms", report.Summary);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("null")]
    [InlineData("{\"run_id\": \"r\", \"pid\": 0}")]
    public void A_journal_that_parses_but_lacks_what_recovery_needs_is_exit_14(string text)
    {
        File.WriteAllText(_journal.Path, text);

        var error = Assert.Throws<JournalException>(_journal.Read);

        Assert.Equal(ExitCodes.JournalFailed, error.ExitCode);
        Assert.Contains("unreadable", error.Message);
        Assert.Contains("state.journal_path", error.Message);
    }

    [Fact]
    public async Task An_empty_journal_refuses_check_and_prune_with_exit_14_not_a_PID_0()
    {
        File.WriteAllText(_journal.Path, "{}");

        var journal = (await EvaluateGuards(Now)).Refusal("journal", ExitCodes.JournalFailed);

        Assert.DoesNotContain("PID 0", journal.Detail);
        Assert.DoesNotContain("0001-01-01", journal.Detail);
    }

    [Fact]
    public async Task During_the_hold_off_the_journal_guard_says_what_run_will_do_and_exits_5()
    {
        _journal.Write(new JournalEntry("run-x", 4242, RunPhase.SnapshotInFlight, Now.AddMinutes(-3), TestSettings.VolumeId, [], Now.AddMinutes(-3), null, Now.AddMinutes(-2)));

        var journal = (await EvaluateGuards(Now)).Refusal("journal", ExitCodes.SnapshotPending);

        Assert.Contains("No new snapshot before", journal.Detail);
        Assert.DoesNotContain("to recover", journal.Detail);
    }
}
