using System.Net;

namespace OfflineBackup.Tests.Unit.Pipeline;

/// <summary>
/// The one translation of what ended a run's critical part, shared by the offline and the
/// online run: which exit code, which problem, and when a snapshot may exist unseen.
/// </summary>
public sealed class SnapshotAttemptTests
{
    private const string DeadlineProblem = "CreateSnapshot had no answer within the limit";

    private static readonly Snapshot Created = new(
        "snap-0123", "vol-0123", SnapshotState.Pending, "0%", DateTimeOffset.UnixEpoch, 100, "test", new Dictionary<string, string>());

    private static readonly string Interrupted = $"interrupted ({ExitCodes.Describe(ExitCodes.Terminated)})";

    public static TheoryData<bool, bool, bool, int, bool, string> Cancellations => new()
    {
        // by the signal (else the deadline), CreateSnapshot sent, answered: exit code, may exist, problem
        { true, false, false, ExitCodes.Terminated, false, Interrupted },
        { true, true, false, ExitCodes.Terminated, true, Interrupted },
        { true, true, true, ExitCodes.Terminated, false, Interrupted + "; snapshot snap-0123 had been created" },
        { false, false, false, ExitCodes.Ec2Unreachable, false, DeadlineProblem },
        { false, true, false, ExitCodes.Ec2Unreachable, true, DeadlineProblem },
        { false, true, true, ExitCodes.Ec2Unreachable, false, DeadlineProblem },
    };

    [Theory]
    [MemberData(nameof(Cancellations))]
    public void A_signal_or_the_deadline_leaves_a_snapshot_that_may_exist_only_when_CreateSnapshot_went_unanswered(
        bool bySignal, bool sent, bool answered, int exitCode, bool mayExist, string problem)
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var attempt = Attempt(bySignal ? cancelled.Token : CancellationToken.None, sent, answered);

        attempt.Ended(new OperationCanceledException(cancelled.Token), bySignal ? CancellationToken.None : cancelled.Token, DeadlineProblem);

        Assert.Equal(exitCode, attempt.ExitCode);
        Assert.Equal(mayExist, attempt.MayExist);
        Assert.Equal([problem], attempt.Problems);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError, ExitCodes.SnapshotFailed, true)]
    [InlineData(HttpStatusCode.Forbidden, ExitCodes.PermissionDenied, false)]
    public void Only_a_lost_answer_to_a_sent_CreateSnapshot_may_hide_a_snapshot(HttpStatusCode status, int exitCode, bool mayExist)
    {
        var attempt = Attempt(CancellationToken.None, sent: true, answered: false);

        attempt.Ended(
            new Ec2OperationException(exitCode, "CreateSnapshot", "SomeError", status, "ec2:CreateSnapshot failed", new InvalidOperationException()),
            CancellationToken.None,
            DeadlineProblem);

        Assert.Equal(exitCode, attempt.ExitCode);
        Assert.Equal(mayExist, attempt.MayExist);
        Assert.Equal(["ec2:CreateSnapshot failed"], attempt.Problems);
    }

    [Fact]
    public void A_bug_is_exit_1_and_surfaces_only_when_rethrown_after_the_undo()
    {
        // A cancellation that neither the signal nor the deadline caused is a bug too.
        var attempt = Attempt(CancellationToken.None, sent: false, answered: false);
        var bug = new OperationCanceledException();

        attempt.Ended(bug, CancellationToken.None, DeadlineProblem);

        Assert.Equal(ExitCodes.InternalError, attempt.ExitCode);
        Assert.Empty(attempt.Problems);
        Assert.Same(bug, Assert.Throws<OperationCanceledException>(attempt.RethrowBug));
    }

    [Theory]
    [InlineData(ExitCodes.Success, ExitCodes.ReplicaUnhealthy, ExitCodes.ReplicaUnhealthy)]
    [InlineData(ExitCodes.SnapshotFailed, ExitCodes.ReplicaUnhealthy, ExitCodes.SnapshotFailed)]
    [InlineData(ExitCodes.SnapshotFailed, ExitCodes.StartFailed, ExitCodes.StartFailed)]
    [InlineData(ExitCodes.SnapshotFailed, ExitCodes.Success, ExitCodes.SnapshotFailed)]
    public void The_undo_sets_the_exit_code_when_the_run_had_none_and_always_when_MySQL_is_down(int run, int undo, int expected)
    {
        var attempt = Attempt(CancellationToken.None, sent: false, answered: false);
        attempt.ExitCode = run;
        attempt.Problems.Add("the run's problem");

        attempt.Undone(undo, ["the run's problem", "the undo's problem", "the undo's problem"]);

        Assert.Equal(expected, attempt.ExitCode);
        Assert.Equal(["the run's problem", "the undo's problem"], attempt.Problems);
        attempt.RethrowBug();
    }

    private static SnapshotAttempt Attempt(CancellationToken signal, bool sent, bool answered) =>
        new(() => ExitCodes.Terminated, signal)
        {
            CreateSent = sent,
            Snapshot = answered ? Created : null,
        };
}
